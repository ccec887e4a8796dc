package org.graphwalker.core.model;

public class Edge implements Element {
  private String name;
  public Edge setSourceVertex(Vertex v) { return this; }
  public Edge setTargetVertex(Vertex v) { return this; }
  public Edge setName(String name) { this.name = name; return this; }
  public Edge setId(String id) { return this; }
  public Edge setGuard(Guard g) { return this; }
  public Edge addAction(Action a) { return this; }
  public String getName() { return name; }
}
