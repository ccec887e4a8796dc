package org.graphwalker.core.machine;

import org.graphwalker.core.generator.PathGenerator;
import org.graphwalker.core.model.Element;
import org.graphwalker.core.model.Model;

public interface Context {
  Context setModel(Model.RuntimeModel model);
  Model.RuntimeModel getModel();
  Context setPathGenerator(PathGenerator g);
  Context setNextElement(Element e);
  Element getCurrentElement();
}
