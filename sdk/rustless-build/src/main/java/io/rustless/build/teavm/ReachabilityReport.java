package io.rustless.build.teavm;

import io.rustless.build.BuildLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.teavm.callgraph.CallGraph;
import org.teavm.callgraph.CallGraphNode;
import org.teavm.callgraph.CallSite;
import org.teavm.dependency.DependencyInfo;
import org.teavm.dependency.MethodDependencyInfo;
import org.teavm.dependency.ValueDependencyInfo;
import org.teavm.model.MethodReference;
import org.teavm.model.ValueType;

/**
 * Answers "why is this in my module?" ({@code -Drustless.why=<part of a method reference>}, e.g.
 * {@code Rule.equals} or a class name): for a few matching reachable methods, the shortest chain of
 * callers back to an entry point. The tool for keeping modules small.
 */
final class ReachabilityReport {
  private static final int MAX_METHODS = 6;
  private static final int MAX_DEPTH = 25;

  private ReachabilityReport() {}

  static void print(DependencyInfo info, String classPart, BuildLog log) {
    CallGraph graph = info.getCallGraph();
    int shown = 0;
    for (MethodReference m : info.getReachableMethods()) {
      if (!m.toString().contains(classPart) || shown >= MAX_METHODS) {
        continue;
      }
      CallGraphNode node = graph.getNode(m);
      if (node == null) {
        continue;
      }
      shown++;
      log.info("why " + m + ":");
      printParameterTypes(info, m, log);
      if (Boolean.getBoolean("rustless.why.callers")) {
        for (CallSite site : node.getCallerCallSites()) {
          for (CallGraphNode caller : site.getCallers()) {
            log.info("    called by " + caller.getMethod());
          }
        }
      }
      for (MethodReference step : chain(node)) {
        log.info("    <- " + step);
      }
    }
    if (shown == 0) {
      log.info("why: no reachable method matching '" + classPart + "'");
    }
  }

  /**
   * The classes TeaVM's type analysis lets flow into each reference parameter: what makes a virtual
   * call inside the method keep overrides alive.
   */
  private static void printParameterTypes(DependencyInfo info, MethodReference m, BuildLog log) {
    MethodDependencyInfo method = info.getMethod(m);
    if (method == null) {
      return;
    }
    for (int p = 0; p <= method.getParameterCount() && p < method.getVariableCount(); p++) {
      ValueDependencyInfo value = method.getVariable(p);
      if (value == null || value.getTypes().length == 0) {
        continue;
      }
      List<String> types = new ArrayList<>();
      for (ValueType t : value.getTypes()) {
        types.add(t.toString());
      }
      Collections.sort(types);
      log.info("    variable " + p + " receives " + types.size() + " types: " + types);
    }
  }

  private static List<MethodReference> chain(CallGraphNode target) {
    Map<CallGraphNode, CallGraphNode> next = new HashMap<>();
    Deque<CallGraphNode> queue = new ArrayDeque<>();
    Map<CallGraphNode, Integer> depth = new HashMap<>();
    queue.add(target);
    depth.put(target, 0);
    CallGraphNode root = target;
    while (!queue.isEmpty()) {
      CallGraphNode n = queue.poll();
      root = n;
      if (depth.get(n) >= MAX_DEPTH) {
        break;
      }
      boolean hasCaller = false;
      for (CallSite site : n.getCallerCallSites()) {
        for (CallGraphNode caller : site.getCallers()) {
          hasCaller = true;
          if (!depth.containsKey(caller)) {
            depth.put(caller, depth.get(n) + 1);
            next.put(caller, n);
            queue.add(caller);
          }
        }
      }
      if (!hasCaller) {
        break;
      }
    }
    List<MethodReference> out = new ArrayList<>();
    for (CallGraphNode n = root; n != null && n != target; n = next.get(n)) {
      out.add(0, n.getMethod());
    }
    return out;
  }
}
