package org.graphwalker.core.machine;

public class SimpleMachine implements Machine {
  public SimpleMachine(Context... contexts) {}
  public boolean hasNextStep() { return false; }
  public Context getNextStep() { return null; }
}
