package org.graphwalker.core.condition;

public interface StopCondition {
}
