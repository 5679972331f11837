package io.sochdb.release.fakes;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Queued failures. A request takes the first queued rule that matches it, so rules for the same request fire in
 * the order they were queued. The regex is searched for (not matched whole) in the decoded path, prefix included.
 */
final class Faults {

    enum Kind { FAIL, DROP, DROP_RESPONSE, RATE_LIMIT, RATE_LIMIT_RESET, STALL }

    record Fault(Kind kind, int status, long value) {
    }

    private static final class Rule {
        final String method;
        final Pattern path;
        final Fault fault;
        int remaining;

        Rule(String method, Pattern path, Fault fault, int times) {
            this.method = method;
            this.path = path;
            this.fault = fault;
            this.remaining = times;
        }
    }

    private final List<Rule> rules = new ArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger stalls = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A STALL holds the request for its value in milliseconds and then lets it be served as usual, so that a test
     * can kill the client while the request is in flight; other faults are returned for the server to act on.
     */
    Fault takeAfterStall(String method, String path) {
        Fault fault = take(method, path);
        if (fault == null || fault.kind() != Kind.STALL) {
            return fault;
        }
        stalls.incrementAndGet();
        try {
            Thread.sleep(fault.value());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** How many stalled requests have begun. */
    int stallsBegun() {
        return stalls.get();
    }

    /** {@code method} "*" matches any method. */
    synchronized void add(String method, String pathRegex, Fault fault, int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1: " + times);
        }
        rules.add(new Rule(method.toUpperCase(Locale.ROOT), Pattern.compile(pathRegex), fault, times));
    }

    synchronized Fault take(String method, String path) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule rule = it.next();
            if ((rule.method.equals("*") || rule.method.equals(method)) && rule.path.matcher(path).find()) {
                if (--rule.remaining == 0) {
                    it.remove();
                }
                return rule.fault;
            }
        }
        return null;
    }

    synchronized int pending() {
        return rules.stream().mapToInt(r -> r.remaining).sum();
    }

    synchronized void clear() {
        rules.clear();
    }
}
