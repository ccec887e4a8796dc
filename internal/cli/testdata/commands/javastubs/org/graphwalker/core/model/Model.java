package org.graphwalker.core.model;

import java.util.List;

public class Model {
  public Model addEdge(Edge e) { return this; }
  public RuntimeModel build() { return new RuntimeModel(); }

  public static class RuntimeModel {
    public List<Element> findElements(String name) { return null; }
    public Element getElementById(String id) { return null; }
  }
}
