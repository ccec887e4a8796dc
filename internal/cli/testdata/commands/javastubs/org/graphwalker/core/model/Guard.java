package org.graphwalker.core.model;

public class Guard {
  public Guard(String script) {}
}
