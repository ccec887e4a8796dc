import org.graphwalker.core.condition.*;
import org.graphwalker.core.generator.*;
import org.graphwalker.core.machine.*;
import org.graphwalker.core.model.*;

public class Login {

  public final class ModelTestContext extends ExecutionContext {
  }

  public static void main(String... aArgs) {
    Login modeltest = new Login();
    modeltest.run();
  }

  private void run() {
    Vertex v_ClientNotRunning = new Vertex().setName("v_ClientNotRunning").setId("n1");
Vertex v_LoginPrompted = new Vertex().setName("v_LoginPrompted").setId("n2");
Vertex v_Browse = new Vertex().setName("v_Browse").setId("n3");


    Model model = new Model();
    model.addEdge( new Edge().setTargetVertex(v_ClientNotRunning).setName("e_Init").setId("e0").addAction(new Action("validLogin=false;rememberMe=false;")));
model.addEdge( new Edge().setSourceVertex(v_ClientNotRunning).setTargetVertex(v_LoginPrompted).setName("e_StartClient").setId("e1").setGuard(new Guard("!rememberMe||!validLogin")));
model.addEdge( new Edge().setSourceVertex(v_LoginPrompted).setTargetVertex(v_Browse).setName("e_ValidPremiumCredentials").setId("e2").addAction(new Action("validLogin=true;")));
model.addEdge( new Edge().setSourceVertex(v_Browse).setTargetVertex(v_LoginPrompted).setName("e_Logout").setId("e3"));
model.addEdge( new Edge().setSourceVertex(v_Browse).setTargetVertex(v_ClientNotRunning).setName("e_Exit").setId("e4"));
model.addEdge( new Edge().setSourceVertex(v_LoginPrompted).setTargetVertex(v_LoginPrompted).setName("e_ToggleRememberMe").setId("e5").addAction(new Action("rememberMe=!rememberMe;")));
model.addEdge( new Edge().setSourceVertex(v_LoginPrompted).setTargetVertex(v_ClientNotRunning).setName("e_Close").setId("e6"));
model.addEdge( new Edge().setSourceVertex(v_ClientNotRunning).setTargetVertex(v_Browse).setName("e_StartClient").setId("e7").setGuard(new Guard("rememberMe&&validLogin")));
model.addEdge( new Edge().setSourceVertex(v_LoginPrompted).setTargetVertex(v_LoginPrompted).setName("e_InvalidCredentials").setId("e8").addAction(new Action("validLogin=false;")));


    Context context = new ModelTestContext();
    context.setModel(model.build()).setPathGenerator(new RandomPath(new EdgeCoverage(100)));
    context.setNextElement(context.getModel().findElements("e_Init").get(0));

    Machine machine = new SimpleMachine(context);
    while (machine.hasNextStep()) {
      machine.getNextStep();
      System.out.println(context.getCurrentElement().getName());
    }
  }
}
