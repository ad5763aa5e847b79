package dev.grantflow.model.grant;

import static dev.grantflow.model.fuzz.BadInput.CANARY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.grantflow.model.fuzz.Bounded;
import dev.grantflow.model.fuzz.GrantDocs;
import dev.grantflow.model.fuzz.Oracles;
import dev.grantflow.model.json.Json;
import dev.grantflow.model.json.Parsed;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Bad grants for the model: reading a record value ({@link Json#parse}) and validating it
 * ({@link GrantValidationPolicy}) never throw and never hang, always give a reason, never quote the planted secret,
 * and accept only grants that satisfy the documented invariants ({@link Oracles#assertAcceptedGrant}).
 */
class GrantValidationPropertyTest {

    @Property(tries = 1500)
    void readingAndValidatingAlwaysEndInADocumentedOutcome(@ForAll("grants") GrantDocs.Doc doc) {
        Parsed<Grant> parsed = Bounded.call(() -> Json.parse(doc.bytes(), Grant.class));
        if (parsed instanceof Parsed.Failed<Grant> failed) {
            Statistics.label("outcome").collect("unreadable " + failed.reason().value());
            assertThat(failed.failure().detail()).isNotNull();
            assertThat(failed.failure().getMessage()).startsWith(failed.reason().value()).doesNotContain(CANARY);
            return;
        }
        Grant grant = ((Parsed.Ok<Grant>) parsed).value();
        GrantValidation validation = Bounded.call(() -> GrantValidationPolicy.validate(grant));
        if (validation instanceof GrantValidation.Invalid invalid) {
            Statistics.label("outcome").collect("invalid " + invalid.violations().get(0).reason().value());
            assertThat(invalid.message()).doesNotContain(CANARY);
            invalid.violations().forEach(v -> assertThat(v.field()).isNotBlank());
            return;
        }
        Statistics.label("outcome").collect("valid");
        Oracles.assertAcceptedGrant(grant, grant.grantKey());
        assertThat(grant.toString()).as("a grant's toString never shows sealed values").doesNotContain(CANARY + "Ut");
    }

    @Provide
    Arbitrary<GrantDocs.Doc> grants() {
        return GrantDocs.docs();
    }
}
