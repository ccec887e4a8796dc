package org.graphwalker.core.model;

public class Action {
  public Action(String script) {}
}
