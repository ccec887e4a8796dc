// Package javastr reproduces the few java.lang.String behaviours that show
// in GraphWalker's output and error texts, so that every package that needs
// one uses the same definition: String.trim (Trim) and String.compareTo
// with the TreeSet<String> built on it (Compare, SortedSet).
package javastr
