package org.graphwalker.core.generator;

public interface PathGenerator {
}
