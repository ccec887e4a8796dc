// Package javastr reproduces the few java.lang.String behaviours that show
// in GraphWalker's output and error texts, so that every package that needs
// one uses the same definition: String.trim (Trim), String.compareTo
// with the TreeSet<String> built on it (Compare, SortedSet) and
// String.hashCode (HashCode), which orders GraphWalker's hash sets.
package javastr
