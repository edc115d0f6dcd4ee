// SPDX-License-Identifier: Apache-2.0
// ShardMergeTest: three shards of a check, merged, give the same results as one run; merge refuses what does not fit.
package dev.udsinterop.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.udsinterop.harness.report.CaseResult;
import dev.udsinterop.harness.report.JsonReport;
import dev.udsinterop.harness.report.Report;
import dev.udsinterop.harness.verdict.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardMergeTest {
    private static final String[] SELECTION = {"--clients", "java,nc",
        "--cases", "echo.empty,echo.hello,order.paced-writes,lifecycle.sigterm,lifecycle.regular-file-refused,robustness.reset"};

    @TempDir
    Path dir;

    private int check(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("check", "--server-cmd", CheckCommandTest.PATIENT_SOCAT, "--out", out.toString()));
        args.addAll(List.of(SELECTION));
        args.addAll(List.of(more));
        return HarnessCommand.execute(args.toArray(String[]::new));
    }

    private static Map<String, Status> byName(Report report) {
        return report.results().stream().collect(Collectors.toMap(CaseResult::displayName, CaseResult::status));
    }

    @Test
    void threeShardsMergedEqualOneRun() throws Exception {
        assertThat(check(dir.resolve("whole"))).isZero();
        List<String> merge = new ArrayList<>(List.of("merge"));
        for (int i = 1; i <= 3; i++) {
            assertThat(check(dir.resolve("shard" + i), "--shard", i + "/3")).isZero();
            Report shard = CheckCommandTest.report(dir.resolve("shard" + i));
            assertThat(shard.results()).as("shard %d is not empty", i).isNotEmpty();
            merge.add(dir.resolve("shard" + i).resolve(JsonReport.FILE_NAME).toString());
        }
        merge.addAll(List.of("--out", dir.resolve("merged").toString()));
        assertThat(HarnessCommand.execute(merge.toArray(String[]::new))).isZero();

        Report whole = CheckCommandTest.report(dir.resolve("whole"));
        Report merged = CheckCommandTest.report(dir.resolve("merged"));
        assertThat(byName(merged)).isEqualTo(byName(whole)).hasSize(4 * 2 + 3); // echo.hello selects its .no-half-close too
        assertThat(merged.summary()).isEqualTo(whole.summary());
        assertThat(merged.manifestSha256()).isEqualTo(whole.manifestSha256()).hasSize(64);
        assertThat(dir.resolve("merged").resolve("report.html")).exists();
        assertThat(dir.resolve("merged").resolve("junit.xml")).exists();
    }

    @Test
    void mergeRefusesOtherManifestsAndOverlaps() throws Exception {
        assertThat(check(dir.resolve("a"), "--shard", "1/2")).isZero();
        Path a = dir.resolve("a").resolve(JsonReport.FILE_NAME);
        assertThat(HarnessCommand.execute("merge", a.toString(), a.toString(), "--out", dir.resolve("m1").toString()))
                .as("the same shard twice").isEqualTo(2);

        ObjectMapper json = new ObjectMapper();
        ObjectNode other = (ObjectNode) json.readTree(a.toFile());
        other.put("manifestSha256", "0".repeat(64));
        other.putArray("results");
        Path b = Files.writeString(dir.resolve("b.json"), json.writeValueAsString(other));
        assertThat(HarnessCommand.execute("merge", a.toString(), b.toString(), "--out", dir.resolve("m2").toString()))
                .as("another manifest").isEqualTo(2);

        other.put("schemaVersion", 2);
        Path c = Files.writeString(dir.resolve("c.json"), json.writeValueAsString(other));
        assertThat(HarnessCommand.execute("merge", a.toString(), c.toString(), "--out", dir.resolve("m3").toString()))
                .as("another schema version").isEqualTo(2);
        assertThat(dir.resolve("m1").resolve(JsonReport.FILE_NAME)).doesNotExist();
        assertThat(dir.resolve("m2").resolve(JsonReport.FILE_NAME)).doesNotExist();
    }
}
