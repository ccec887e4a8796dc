import org.graphwalker.core.condition.*;
import org.graphwalker.core.generator.*;
import org.graphwalker.core.machine.*;
import org.graphwalker.core.model.*;

public class FindOwners {

  public final class ModelTestContext extends ExecutionContext {
  }

  public static void main(String... aArgs) {
    FindOwners modeltest = new FindOwners();
    modeltest.run();
  }

  private void run() {
    Vertex v_FindOwners = new Vertex().setName("v_FindOwners").setId("b53814ec-468c-11e7-a919-92ebcb67fe33");
Vertex v_NewOwner = new Vertex().setName("v_NewOwner").setId("dcb0e896-468c-11e7-a919-92ebcb67fe33");
Vertex v_Owners = new Vertex().setName("v_Owners").setId("dcb0f200-468c-11e7-a919-92ebcb67fe33");


    Model model = new Model();
    model.addEdge( new Edge().setSourceVertex(v_FindOwners).setTargetVertex(v_NewOwner).setName("e_AddOwner").setId("dcb0fb88-468c-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_NewOwner).setTargetVertex(v_FindOwners).setName("e_FindOwners").setId("dcb0fd5e-468c-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_FindOwners).setTargetVertex(v_Owners).setName("e_Search").setId("dcb0fe62-468c-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_Owners).setTargetVertex(v_FindOwners).setName("e_FindOwners").setId("dcb0ff34-468c-11e7-a919-92ebcb67fe33"));


    Context context = new ModelTestContext();
    context.setModel(model.build()).setPathGenerator(new RandomPath(new EdgeCoverage(100)));
    // The model has no start element: set one with context.setNextElement(...) before walking.

    Machine machine = new SimpleMachine(context);
    while (machine.hasNextStep()) {
      machine.getNextStep();
      System.out.println(context.getCurrentElement().getName());
    }
  }
}

class NewOwner {

  public final class ModelTestContext extends ExecutionContext {
  }

  public static void main(String... aArgs) {
    NewOwner modeltest = new NewOwner();
    modeltest.run();
  }

  private void run() {
    Vertex v_NewOwner = new Vertex().setName("v_NewOwner").setId("dcb0d798-468c-11e7-a919-92ebcb67fe33");
Vertex v_IncorrectData = new Vertex().setName("v_IncorrectData").setId("dcb0eab2-468c-11e7-a919-92ebcb67fe33");
Vertex v_OwnerInformation = new Vertex().setName("v_OwnerInformation").setId("dcb0f3c2-468c-11e7-a919-92ebcb67fe33");


    Model model = new Model();
    model.addEdge( new Edge().setSourceVertex(v_NewOwner).setTargetVertex(v_IncorrectData).setName("e_IncorrectData").setId("dcb104e8-468c-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_IncorrectData).setTargetVertex(v_NewOwner).setId("dcb10736-468c-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_NewOwner).setTargetVertex(v_OwnerInformation).setName("e_CorrectData").setId("dcb10812-468c-11e7-a919-92ebcb67fe33"));


    Context context = new ModelTestContext();
    context.setModel(model.build()).setPathGenerator(new RandomPath(new EdgeCoverage(100)));
    // The model has no start element: set one with context.setNextElement(...) before walking.

    Machine machine = new SimpleMachine(context);
    while (machine.hasNextStep()) {
      machine.getNextStep();
      System.out.println(context.getCurrentElement().getName());
    }
  }
}

class OwnerInformation {

  public final class ModelTestContext extends ExecutionContext {
  }

  public static void main(String... aArgs) {
    OwnerInformation modeltest = new OwnerInformation();
    modeltest.run();
  }

  private void run() {
    Vertex v_OwnerInformation = new Vertex().setName("v_OwnerInformation").setId("dcb0dba8-468c-11e7-a919-92ebcb67fe33");
Vertex v_NewPet = new Vertex().setName("v_NewPet").setId("dcb0ebb6-468c-11e7-a919-92ebcb67fe33");
Vertex v_Pet = new Vertex().setName("v_Pet").setId("dcb0f8a4-468c-11e7-a919-92ebcb67fe33");
Vertex v_NewVisit = new Vertex().setName("v_NewVisit").setId("971ec0b8-468d-11e7-a919-92ebcb67fe33");
Vertex v_FindOwners = new Vertex().setName("v_FindOwners").setId("971ec57c-468d-11e7-a919-92ebcb67fe33");


    Model model = new Model();
    model.addEdge( new Edge().setSourceVertex(v_NewPet).setTargetVertex(v_OwnerInformation).setName("e_AddPetSuccessfully").setId("971ec838-468d-11e7-a919-92ebcb67fe33").addAction(new Action(" numOfPets++;")));
model.addEdge( new Edge().setSourceVertex(v_OwnerInformation).setTargetVertex(v_NewPet).setName("e_AddNewPet").setId("971ecaa4-468d-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_OwnerInformation).setTargetVertex(v_Pet).setName("e_EditPet").setId("971ecca2-468d-11e7-a919-92ebcb67fe33").setGuard(new Guard("numOfPets>0")));
model.addEdge( new Edge().setSourceVertex(v_Pet).setTargetVertex(v_OwnerInformation).setName("e_UpdatePet").setId("971ece78-468d-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_NewPet).setTargetVertex(v_NewPet).setName("e_AddPetFailed").setId("971ed0b2-468d-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_OwnerInformation).setTargetVertex(v_NewVisit).setName("e_AddVisit").setId("971ed3c8-468d-11e7-a919-92ebcb67fe33").setGuard(new Guard("numOfPets>0")));
model.addEdge( new Edge().setSourceVertex(v_NewVisit).setTargetVertex(v_OwnerInformation).setName("e_VisitAddedSuccessfully").setId("971ed53a-468d-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_NewVisit).setTargetVertex(v_NewVisit).setName("e_VisitAddedFailed").setId("971ed738-468d-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_OwnerInformation).setTargetVertex(v_FindOwners).setName("e_FindOwners").setId("971edad0-468d-11e7-a919-92ebcb67fe33"));


    Context context = new ModelTestContext();
    context.setModel(model.build()).setPathGenerator(new RandomPath(new EdgeCoverage(100)));
    // The model has no start element: set one with context.setNextElement(...) before walking.

    Machine machine = new SimpleMachine(context);
    while (machine.hasNextStep()) {
      machine.getNextStep();
      System.out.println(context.getCurrentElement().getName());
    }
  }
}

class PetClinic {

  public final class ModelTestContext extends ExecutionContext {
  }

  public static void main(String... aArgs) {
    PetClinic modeltest = new PetClinic();
    modeltest.run();
  }

  private void run() {
    Vertex v_HomePage = new Vertex().setName("v_HomePage").setId("dcb0dde2-468c-11e7-a919-92ebcb67fe33");
Vertex v_FindOwners = new Vertex().setName("v_FindOwners").setId("dcb0ef4e-468c-11e7-a919-92ebcb67fe33");
Vertex v_Veterinarians = new Vertex().setName("v_Veterinarians").setId("dcb0f8a5-468c-11e7-a919-92ebcb67fe33");


    Model model = new Model();
    model.addEdge( new Edge().setSourceVertex(v_HomePage).setTargetVertex(v_FindOwners).setName("e_FindOwners").setId("971edcce-468d-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_FindOwners).setTargetVertex(v_HomePage).setName("e_HomePage").setId("971ede36-468d-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_HomePage).setTargetVertex(v_Veterinarians).setName("e_Veterinarians").setId("971ee142-468d-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_Veterinarians).setTargetVertex(v_HomePage).setName("e_HomePage").setId("971ee2b4-468d-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_FindOwners).setTargetVertex(v_Veterinarians).setName("e_Veterinarians").setId("971ee5c0-468d-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_Veterinarians).setTargetVertex(v_FindOwners).setName("e_FindOwners").setId("971ee732-468d-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setTargetVertex(v_HomePage).setName("e_StartBrowser").setId("b53810a0-468c-11e7-a919-92ebcb67fe33"));


    Context context = new ModelTestContext();
    context.setModel(model.build()).setPathGenerator(new RandomPath(new EdgeCoverage(100)));
    context.setNextElement(context.getModel().findElements("e_StartBrowser").get(0));

    Machine machine = new SimpleMachine(context);
    while (machine.hasNextStep()) {
      machine.getNextStep();
      System.out.println(context.getCurrentElement().getName());
    }
  }
}

class Veterinarians {

  public final class ModelTestContext extends ExecutionContext {
  }

  public static void main(String... aArgs) {
    Veterinarians modeltest = new Veterinarians();
    modeltest.run();
  }

  private void run() {
    Vertex v_Veterinarians = new Vertex().setName("v_Veterinarians").setId("dcb0defa-468c-11e7-a919-92ebcb67fe33");
Vertex v_SearchResult = new Vertex().setName("v_SearchResult").setId("dcb0f124-468c-11e7-a919-92ebcb67fe33");


    Model model = new Model();
    model.addEdge( new Edge().setSourceVertex(v_Veterinarians).setTargetVertex(v_SearchResult).setName("e_Search").setId("971eea2a-468d-11e7-a919-92ebcb67fe33"));
model.addEdge( new Edge().setSourceVertex(v_SearchResult).setTargetVertex(v_Veterinarians).setId("971eeba6-468d-11e7-a919-92ebcb67fe33"));


    Context context = new ModelTestContext();
    context.setModel(model.build()).setPathGenerator(new RandomPath(new EdgeCoverage(100)));
    // The model has no start element: set one with context.setNextElement(...) before walking.

    Machine machine = new SimpleMachine(context);
    while (machine.hasNextStep()) {
      machine.getNextStep();
      System.out.println(context.getCurrentElement().getName());
    }
  }
}
