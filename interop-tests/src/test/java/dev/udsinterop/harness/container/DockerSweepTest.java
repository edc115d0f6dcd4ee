// SPDX-License-Identifier: Apache-2.0
// DockerSweepTest: the sweep judges only owners of its own pid namespace, so a harness in a container spares the host's runs.
package dev.udsinterop.harness.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerSweepTest {
    /** A pid that no process has here: the owner of a run that ended. */
    private static final String GONE = Long.toString(Integer.MAX_VALUE - 7);

    private static Map<String, String> owner(String pid, String namespace) {
        Map<String, String> labels = new HashMap<>(Docker.labels());
        labels.put(Docker.OWNER, pid);
        if (namespace == null) {
            labels.remove(Docker.OWNER_NAMESPACE);
        } else {
            labels.put(Docker.OWNER_NAMESPACE, namespace);
        }
        return labels;
    }

    @Test
    void aGoneOwnerOfThisNamespaceIsDeadALiveOneIsNot() {
        String here = Docker.labels().get(Docker.OWNER_NAMESPACE);
        assertThat(here).startsWith("pid:[");
        assertThat(Docker.isDead(owner(GONE, here))).isTrue();
        assertThat(Docker.isDead(Docker.labels())).isFalse();
    }

    /** Seen on a shared engine: a harness in a container swept the host's live runs, whose pids it could not see. */
    @Test
    void anOwnerOfAnotherNamespaceOrOfNoneIsNeverJudged() {
        assertThat(Docker.isDead(owner(GONE, "pid:[1]"))).isFalse();
        assertThat(Docker.isDead(owner(GONE, null))).isFalse();
    }
}
