package org.graphwalker.core.model;

public interface Element {
  String getName();
}
