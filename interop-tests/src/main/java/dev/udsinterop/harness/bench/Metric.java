// SPDX-License-Identifier: Apache-2.0
// Metric: one figure a measurement yields, with its unit and which way is better.
package dev.udsinterop.harness.bench;

/** A figure of a measurement. {@link #json()} is its name in bench.json. */
enum Metric {
    OPS_PER_SEC("opsPerSec", "ops/s", true),
    MB_PER_SEC("mbPerSec", "MB/s", true),
    P50("p50Ns", "ns", false),
    P90("p90Ns", "ns", false),
    P99("p99Ns", "ns", false),
    P999("p999Ns", "ns", false),
    MAX("maxNs", "ns", false),
    CLIENT_CPU_PER_OP("clientCpuPerOpNs", "ns", false),
    SERVER_CPU_PER_OP("serverCpuPerOpNs", "ns", false),
    RSS_PER_CONNECTION("rssPerConnectionBytes", "B", false);

    private final String json;
    private final String unit;
    private final boolean higherIsBetter;

    Metric(String json, String unit, boolean higherIsBetter) {
        this.json = json;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
    }

    String json() {
        return json;
    }

    String unit() {
        return unit;
    }

    boolean higherIsBetter() {
        return higherIsBetter;
    }

    /**
     * Returns how much better {@code a} is than {@code b} on this metric: {@code a / b} when higher is better,
     * {@code b / a} when lower is; so a ratio above 1 always means {@code a} did better. NaN when undefined.
     */
    double goodness(double a, double b) {
        double ratio = higherIsBetter ? a / b : b / a;
        return Double.isFinite(ratio) && ratio > 0 ? ratio : Double.NaN;
    }

    static Metric of(String json) {
        for (Metric m : values()) {
            if (m.json.equals(json)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric " + json);
    }
}
