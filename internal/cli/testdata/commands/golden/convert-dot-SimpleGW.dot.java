import org.graphwalker.core.condition.*;
import org.graphwalker.core.generator.*;
import org.graphwalker.core.machine.*;
import org.graphwalker.core.model.*;

public class SimpleGraph {

  public final class ModelTestContext extends ExecutionContext {
  }

  public static void main(String... aArgs) {
    SimpleGraph modeltest = new SimpleGraph();
    modeltest.run();
  }

  private void run() {
    Vertex v1 = new Vertex().setName("v1").setId("n1");


    Model model = new Model();
    model.addEdge( new Edge().setTargetVertex(v1).setName("e1").setId("e1"));


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
