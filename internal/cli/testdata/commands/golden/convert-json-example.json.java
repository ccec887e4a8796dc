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
    Vertex v_VerifySomeAction = new Vertex().setName("v_VerifySomeAction").setId("n0");
Vertex v_VerifySomeOtherAction = new Vertex().setName("v_VerifySomeOtherAction").setId("n1");


    Model model = new Model();
    model.addEdge( new Edge().setTargetVertex(v_VerifySomeAction).setName("e_FirstAction").setId("e0").addAction(new Action("x=0;")).addAction(new Action("y=0;")));
model.addEdge( new Edge().setSourceVertex(v_VerifySomeAction).setTargetVertex(v_VerifySomeOtherAction).setName("e_AnotherAction").setId("e1").addAction(new Action("y+=1;")));
model.addEdge( new Edge().setSourceVertex(v_VerifySomeOtherAction).setTargetVertex(v_VerifySomeOtherAction).setName("e_SomeOtherAction").setId("e2").addAction(new Action("x+=1;")));
model.addEdge( new Edge().setSourceVertex(v_VerifySomeOtherAction).setTargetVertex(v_VerifySomeAction).setName("e_SomeOtherAction").setId("e3").addAction(new Action("y+=1;")));


    Context context = new ModelTestContext();
    context.setModel(model.build()).setPathGenerator(new RandomPath(new EdgeCoverage(100)));
    context.setNextElement(context.getModel().findElements("v_VerifySomeAction").get(0));

    Machine machine = new SimpleMachine(context);
    while (machine.hasNextStep()) {
      machine.getNextStep();
      System.out.println(context.getCurrentElement().getName());
    }
  }
}
