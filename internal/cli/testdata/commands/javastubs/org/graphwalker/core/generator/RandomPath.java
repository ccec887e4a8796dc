package org.graphwalker.core.generator;

import org.graphwalker.core.condition.StopCondition;

public class RandomPath implements PathGenerator {
  public RandomPath(StopCondition c) {}
}
