package org.graphwalker.core.machine;

public interface Machine {
  boolean hasNextStep();
  Context getNextStep();
}
