package dev.grantflow.admission.domain;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link PodReviewReaderTest} over the generated bodies of {@link AdmissionReviewPropertyTest} (damaged bytes, random
 * JSON, wrong types anywhere, deep nesting, huge arrays, other resources and operations): the pruned read gets the
 * same request envelope and answer as the whole-tree read, or the same 400 message.
 */
class PodReviewReaderPropertyTest {

    private final PodReviewReaderTest reads = new PodReviewReaderTest();

    @Property(tries = 1500)
    void generatedBodyGetsTheSameAnswer(@ForAll("bodies") AdmissionReviewPropertyTest.Body body) {
        PodDefaultLookup lookup = AdmissionReviewPropertyTest.lookup();
        assertThat(reads.answer(true, body.bytes(), lookup)).isEqualTo(reads.answer(false, body.bytes(), lookup));
    }

    @Provide
    Arbitrary<AdmissionReviewPropertyTest.Body> bodies() {
        return new AdmissionReviewPropertyTest().bodies();
    }
}
