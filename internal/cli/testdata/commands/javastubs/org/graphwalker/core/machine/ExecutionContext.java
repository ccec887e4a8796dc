package org.graphwalker.core.machine;

import org.graphwalker.core.generator.PathGenerator;
import org.graphwalker.core.model.Element;
import org.graphwalker.core.model.Model;

public abstract class ExecutionContext implements Context {
  public Context setModel(Model.RuntimeModel model) { return this; }
  public Model.RuntimeModel getModel() { return null; }
  public Context setPathGenerator(PathGenerator g) { return this; }
  public Context setNextElement(Element e) { return this; }
  public Element getCurrentElement() { return null; }
}
