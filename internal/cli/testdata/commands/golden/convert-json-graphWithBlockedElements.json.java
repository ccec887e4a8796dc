import org.graphwalker.core.condition.*;
import org.graphwalker.core.generator.*;
import org.graphwalker.core.machine.*;
import org.graphwalker.core.model.*;

public class Small_model {

  public final class ModelTestContext extends ExecutionContext {
  }

  public static void main(String... aArgs) {
    Small_model modeltest = new Small_model();
    modeltest.run();
  }

  private void run() {
    Vertex v1 = new Vertex().setName("v1").setId("v1");
Vertex v2 = new Vertex().setName("v2").setId("v2");
Vertex v3 = new Vertex().setName("v3").setId("v3");
Vertex v4 = new Vertex().setName("v4").setId("v4");


    Model model = new Model();
    model.addEdge( new Edge().setTargetVertex(v1).setName("e1").setId("e1"));
model.addEdge( new Edge().setSourceVertex(v1).setTargetVertex(v2).setName("e2").setId("e2"));
model.addEdge( new Edge().setSourceVertex(v2).setTargetVertex(v3).setName("e3").setId("e3"));
model.addEdge( new Edge().setSourceVertex(v3).setTargetVertex(v4).setName("e4").setId("e4"));
model.addEdge( new Edge().setSourceVertex(v4).setTargetVertex(v3).setName("e7").setId("e7"));
model.addEdge( new Edge().setSourceVertex(v3).setTargetVertex(v2).setName("e8").setId("e8"));
model.addEdge( new Edge().setSourceVertex(v2).setTargetVertex(v1).setName("e9").setId("e9"));


    Context context = new ModelTestContext();
    context.setModel(model.build()).setPathGenerator(new RandomPath(new EdgeCoverage(100)));
    context.setNextElement(context.getModel().findElements("e1").get(0));

    Machine machine = new SimpleMachine(context);
    while (machine.hasNextStep()) {
      machine.getNextStep();
      System.out.println(context.getCurrentElement().getName());
    }
  }
}
