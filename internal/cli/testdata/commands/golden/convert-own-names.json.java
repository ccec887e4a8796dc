import org.graphwalker.core.condition.*;
import org.graphwalker.core.generator.*;
import org.graphwalker.core.machine.*;
import org.graphwalker.core.model.*;

public class My_model {

  public final class ModelTestContext extends ExecutionContext {
  }

  public static void main(String... aArgs) {
    My_model modeltest = new My_model();
    modeltest.run();
  }

  private void run() {
    Vertex v_1 = new Vertex().setName("v 1").setId("n1");
Vertex class_ = new Vertex().setName("class").setId("n2");
Vertex model_2 = new Vertex().setName("model").setId("n3");
Vertex System_2 = new Vertex().setName("System").setId("n4");
Vertex v_1_2 = new Vertex().setName("v 1").setId("n5");
Vertex v_n6 = new Vertex().setId("n6");
Vertex _1st = new Vertex().setName("1st").setId("n7");
Vertex Överblick = new Vertex().setName("Överblick").setId("n8");
Vertex has_quote_ = new Vertex().setName("has\"quote\\").setId("n9");


    Model model = new Model();
    model.addEdge( new Edge().setTargetVertex(v_1).setId("s0").addAction(new Action("x = \"a\\\\b\";")).addAction(new Action("y = 1;")));
model.addEdge( new Edge().setSourceVertex(v_1).setTargetVertex(class_).setName("e 1").setId("e1").setGuard(new Guard("x == \"y\" && z < 3")));
model.addEdge( new Edge().setSourceVertex(class_).setTargetVertex(model_2).setName("e_2").setId("e2").addAction(new Action("line1\nline2\tend\001")));
model.addEdge( new Edge().setSourceVertex(model_2).setTargetVertex(System_2).setName("e_3").setId("e3"));
model.addEdge( new Edge().setSourceVertex(System_2).setTargetVertex(v_1_2).setName("e_4").setId("e4"));
model.addEdge( new Edge().setSourceVertex(v_1_2).setTargetVertex(v_n6).setName("e_5").setId("e5"));
model.addEdge( new Edge().setSourceVertex(v_n6).setTargetVertex(_1st).setName("{ADD_EDGES}").setId("e6"));
model.addEdge( new Edge().setSourceVertex(_1st).setTargetVertex(Överblick).setName("e_7").setId("e7"));
model.addEdge( new Edge().setSourceVertex(Överblick).setTargetVertex(has_quote_).setName("e_8").setId("e8"));
model.addEdge( new Edge().setSourceVertex(has_quote_).setTargetVertex(v_1).setName("e_9").setId("e9"));


    Context context = new ModelTestContext();
    context.setModel(model.build()).setPathGenerator(new RandomPath(new EdgeCoverage(100)));
    context.setNextElement(context.getModel().getElementById("s0"));

    Machine machine = new SimpleMachine(context);
    while (machine.hasNextStep()) {
      machine.getNextStep();
      System.out.println(context.getCurrentElement().getName());
    }
  }
}

class Model_2 {

  public final class ModelTestContext extends ExecutionContext {
  }

  public static void main(String... aArgs) {
    Model_2 modeltest = new Model_2();
    modeltest.run();
  }

  private void run() {
    Vertex start_here = new Vertex().setName("start_here").setId("v0");
Vertex start_here_2 = new Vertex().setName("start_here").setId("v1");


    Model model = new Model();
    model.addEdge( new Edge().setSourceVertex(start_here_2).setTargetVertex(start_here).setName("f0").setId("f0"));
model.addEdge( new Edge().setSourceVertex(start_here).setTargetVertex(start_here_2).setName("f1").setId("f1"));


    Context context = new ModelTestContext();
    context.setModel(model.build()).setPathGenerator(new RandomPath(new EdgeCoverage(100)));
    context.setNextElement(context.getModel().getElementById("v1"));

    Machine machine = new SimpleMachine(context);
    while (machine.hasNextStep()) {
      machine.getNextStep();
      System.out.println(context.getCurrentElement().getName());
    }
  }
}
