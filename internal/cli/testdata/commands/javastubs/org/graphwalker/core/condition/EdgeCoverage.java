package org.graphwalker.core.condition;

public class EdgeCoverage implements StopCondition {
  public EdgeCoverage(int percent) {}
}
