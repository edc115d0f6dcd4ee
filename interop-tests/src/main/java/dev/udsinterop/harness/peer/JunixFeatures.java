// SPDX-License-Identifier: Apache-2.0
// JunixFeatures: what the JDK client can do beyond stream sockets, as junixsocket's JNI library here says.
package dev.udsinterop.harness.peer;

import dev.udsinterop.harness.fixture.InteropCase;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFSocketCapability;

/**
 * The JDK has stream sockets on paths only; the JDK client gets SOCK_SEQPACKET, SOCK_DGRAM, abstract names and
 * SCM_RIGHTS from junixsocket, whose JNI library is unpacked and loaded at first use. What it can do is what that
 * library says it can here (its capabilities), asked once: a platform without the library, or a library without a
 * capability, makes the matching cases {@code unsupported}, with the reason.
 */
final class JunixFeatures {
    private static final DeclaredFeatures FEATURES = probe();

    private JunixFeatures() {
    }

    /** Returns what the JDK client declares (probing junixsocket the first time). */
    static DeclaredFeatures get() {
        return FEATURES;
    }

    private static DeclaredFeatures probe() {
        Map<String, String> lacks = new LinkedHashMap<>();
        boolean loaded;
        String library;
        try {
            loaded = AFSocket.isSupported();
            library = loaded ? AFSocket.getLoadedLibrary() : "not loaded";
        } catch (LinkageError e) { // the jar without its native part, or a platform it has no library for
            loaded = false;
            library = "not loaded: " + e;
        }
        String decidedBy = "junixsocket " + version() + " (JNI library " + library + ")";
        if (!loaded) {
            InteropCase.FEATURES.forEach(f -> lacks.put(f, "junixsocket's JNI library did not load here"));
            return new DeclaredFeatures(Set.of(), lacks, decidedBy);
        }
        Set<String> supports = new LinkedHashSet<>();
        need(supports, lacks, "datagram", AFSocketCapability.CAPABILITY_UNIX_DATAGRAMS);
        need(supports, lacks, "abstract", AFSocketCapability.CAPABILITY_ABSTRACT_NAMESPACE);
        need(supports, lacks, "fdpass", AFSocketCapability.CAPABILITY_FILE_DESCRIPTORS);
        String halfClose = SeqpacketHalfClose.unavailable();
        if (halfClose != null) {
            lacks.put("seqpacket", halfClose);
        } else {
            supports.add("seqpacket");
        }
        return new DeclaredFeatures(supports, lacks, decidedBy);
    }

    private static void need(Set<String> supports, Map<String, String> lacks, String feature, AFSocketCapability capability) {
        if (AFSocket.supports(capability)) {
            supports.add(feature);
        } else {
            lacks.put(feature, "junixsocket lacks " + capability + " here");
        }
    }

    private static String version() {
        try {
            return AFSocket.getVersion();
        } catch (LinkageError e) {
            return "(version unknown)";
        }
    }
}
