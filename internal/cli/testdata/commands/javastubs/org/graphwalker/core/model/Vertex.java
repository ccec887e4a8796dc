package org.graphwalker.core.model;

public class Vertex implements Element {
  private String name;
  public Vertex setName(String name) { this.name = name; return this; }
  public Vertex setId(String id) { return this; }
  public String getName() { return name; }
}
