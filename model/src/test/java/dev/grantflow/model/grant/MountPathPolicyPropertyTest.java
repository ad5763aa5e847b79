package dev.grantflow.model.grant;

import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.fuzz.BadInput;
import dev.grantflow.model.fuzz.Oracles;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Bad input for {@link MountPathPolicy}: system paths, traversal ({@code ..}, {@code .}, {@code //}), encoded and
 * look-alike separators, control characters, relative and over-long paths. An allowed path must be canonical by
 * {@link java.nio.file.Path}'s rules and outside every system tree; a rejected one gets a bounded, printable message.
 */
class MountPathPolicyPropertyTest {

    @Property(tries = 3000)
    void anAllowedMountPathIsCanonicalAndOutsideEverySystemPath(@ForAll("mountPaths") String path) {
        List<Violation> violations = MountPathPolicy.check("spec.podDefault.mountPath", path);
        Statistics.label("outcome").collect(violations.isEmpty() ? "allowed" : violations.get(0).reason().value());
        if (violations.isEmpty()) {
            Oracles.assertSafeMountPath(path);
            return;
        }
        for (Violation v : violations) {
            assertThat(v.field()).isEqualTo("spec.podDefault.mountPath");
            assertThat(v.message()).isNotBlank().hasSizeLessThan(300);
            assertThat(v.message().chars().noneMatch(Character::isISOControl)).as("printable: %s", v.message()).isTrue();
        }
    }

    @Provide
    Arbitrary<String> mountPaths() {
        return BadInput.mountPaths();
    }
}
