package dev.grantflow.admission.domain;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * AdmissionReview envelope in and out ({@code admission.k8s.io/v1}; {@code v1beta1} has the same shape and is
 * accepted too). Pure: JSON trees in, the answer's bytes out.
 */
public final class AdmissionReviewMapper {

    public static final String KIND = "AdmissionReview";
    public static final String V1 = "admission.k8s.io/v1";
    public static final String V1BETA1 = "admission.k8s.io/v1beta1";

    private final ObjectMapper json;
    /** The pruned read of pod reviews, or {@code null} where the mapper's settings rule it out. */
    private final PodReviewReader podReviews;
    /** Whether {@link #writeValue} may write patch values itself. */
    private final boolean directTreeWrites;

    public AdmissionReviewMapper(ObjectMapper json) {
        this.json = json;
        this.podReviews = PodReviewReader.usable(json) ? new PodReviewReader(json) : null;
        this.directTreeWrites = defaultTreeWrites(json);
    }

    public AdmissionRequest parse(byte[] body) throws MalformedReviewException {
        return parse(body, 0, body == null ? 0 : body.length);
    }

    /** {@link #parse(byte[])} of the {@code length} bytes of {@code body} from {@code offset}. */
    public AdmissionRequest parse(byte[] body, int offset, int length) throws MalformedReviewException {
        return parse(body, offset, length, json::readTree);
    }

    /**
     * The mutating webhook's read: the same request as {@link #parse(byte[])} gives, and the same errors, but the
     * tree holds only what the pod decision reads ({@link PodReviewReader}); the rest of the body is skipped.
     */
    public AdmissionRequest parsePodReview(byte[] body) throws MalformedReviewException {
        return parsePodReview(body, 0, body == null ? 0 : body.length);
    }

    /** {@link #parsePodReview(byte[])} of the {@code length} bytes of {@code body} from {@code offset}. */
    public AdmissionRequest parsePodReview(byte[] body, int offset, int length) throws MalformedReviewException {
        return parse(body, offset, length, podReviews == null ? json::readTree : podReviews::read);
    }

    /** How a body becomes a tree: the whole tree, or the pruned one. */
    @FunctionalInterface
    private interface TreeRead {
        JsonNode read(byte[] body, int offset, int length) throws IOException;
    }

    /** Both reads: an empty body and a body that is not JSON are refused with the same messages. */
    private AdmissionRequest parse(byte[] body, int offset, int length, TreeRead read) throws MalformedReviewException {
        if (body == null || length == 0) {
            throw new MalformedReviewException("empty request body, expected an AdmissionReview");
        }
        JsonNode review;
        try {
            review = read.read(body, offset, length);
        } catch (IOException e) {
            throw new MalformedReviewException("request body is not valid JSON: " + firstLine(e));
        }
        return parse(review);
    }

    public AdmissionRequest parse(JsonNode review) throws MalformedReviewException {
        if (review == null || !review.isObject()) {
            throw new MalformedReviewException("expected a JSON object (AdmissionReview)");
        }
        String apiVersion = review.path("apiVersion").asText("");
        String kind = review.path("kind").asText("");
        if (!V1.equals(apiVersion) && !V1BETA1.equals(apiVersion)) {
            throw new MalformedReviewException("apiVersion must be " + V1 + " (or " + V1BETA1 + "), got \"" + apiVersion + "\"");
        }
        if (!KIND.equals(kind)) {
            throw new MalformedReviewException("kind must be " + KIND + ", got \"" + kind + "\"");
        }
        JsonNode request = review.get("request");
        if (request == null || !request.isObject()) {
            throw new MalformedReviewException("request: expected an object");
        }
        JsonNode uid = request.get("uid");
        if (uid == null || !uid.isTextual() || uid.textValue().isEmpty()) {
            throw new MalformedReviewException("request.uid: expected a non-empty string");
        }
        JsonNode resource = request.path("resource");
        JsonNode object = request.get("object");
        return new AdmissionRequest(apiVersion, kind, uid.textValue(),
                resource.path("group").asText(""), resource.path("version").asText(""), resource.path("resource").asText(""),
                request.path("subResource").asText(""), request.path("operation").asText(""),
                request.path("namespace").asText(""), request.path("name").asText(""),
                object == null || object.isNull() ? null : object);
    }

    /**
     * The answer's JSON bytes: same apiVersion and kind as the request (D6), {@code response.uid} =
     * {@code request.uid}. One generator writes it into a buffer of this thread: no JSON tree of the answer and no
     * serializer lookups per review. The patch is written as JSON into another buffer of this thread and
     * base64-encoded by the JDK's encoder (standard alphabet, padded, no line breaks, as Kubernetes reads it; the
     * JVM has a vectorized version of it). Base64 text needs no JSON escaping, so it is copied into the answer as it is.
     */
    public byte[] answer(AdmissionRequest request, AdmissionDecision decision) {
        Buffers buffers = BUFFERS.get();
        ByteBuffer base64;
        try {
            // Before the answer's generator: two open at once would not share the thread's recycled buffers.
            base64 = decision instanceof AdmissionDecision.Patch p && !p.operations().isEmpty()
                    ? BASE64.encode(patchJson(p.operations(), buffers.patch()))
                    : null;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write a JSON Patch", e);
        }
        ExposedBuffer out = buffers.answer();
        out.reset();
        try (JsonGenerator generator = json.createGenerator(out)) {
            generator.writeStartObject();
            generator.writeStringField("apiVersion", request.apiVersion());
            generator.writeStringField("kind", request.kind());
            generator.writeObjectFieldStart("response");
            generator.writeStringField("uid", request.uid());
            if (decision instanceof AdmissionDecision.Deny d) {
                generator.writeBooleanField("allowed", false);
                generator.writeObjectFieldStart("status");
                generator.writeStringField("message", d.message());
                generator.writeEndObject();
            } else {
                generator.writeBooleanField("allowed", true);
                if (base64 != null) {
                    generator.writeStringField("patchType", "JSONPatch");
                    generator.writeFieldName("patch");
                    generator.writeRawUTF8String(base64.array(), base64.arrayOffset() + base64.position(), base64.remaining());
                }
            }
            if (!decision.warnings().isEmpty()) {
                generator.writeArrayFieldStart("warnings");
                for (String warning : decision.warnings()) {
                    generator.writeString(warning);
                }
                generator.writeEndArray();
            }
            generator.writeEndObject();
            generator.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write an AdmissionReview answer", e);
        }
        byte[] bytes = out.toByteArray();
        buffers.dropLarge();
        return bytes;
    }

    private static final Base64.Encoder BASE64 = Base64.getEncoder();
    /** The operations' member names, their quoted bytes made once. */
    private static final SerializableString OP = new SerializedString("op");
    private static final SerializableString PATH = new SerializedString("path");
    private static final SerializableString VALUE = new SerializedString("value");

    /**
     * The patch's JSON, written into {@code buffer}: no JSON tree of the operations and no growing buffers per review.
     * The bytes are the buffer's, valid until its next use.
     */
    private ByteBuffer patchJson(List<PatchOperation> operations, ExposedBuffer buffer) throws IOException {
        buffer.reset();
        try (JsonGenerator generator = json.createGenerator(buffer)) {
            generator.writeStartArray();
            for (PatchOperation operation : operations) {
                generator.writeStartObject();
                generator.writeFieldName(OP);
                generator.writeString(operation.op());
                generator.writeFieldName(PATH);
                generator.writeString(operation.path());
                if (operation.valueJson() != null) {
                    generator.writeFieldName(VALUE);
                    generator.writeRawValue(operation.valueJson());
                } else if (operation.value() != null) {
                    generator.writeFieldName(VALUE);
                    writeValue(generator, operation.value());
                }
                generator.writeEndObject();
            }
            generator.writeEndArray();
        }
        return buffer.bytes();
    }

    /**
     * Writes a JSON tree as {@code json.writeTree} does with the default tree settings, without the serializer
     * provider that {@code writeTree} sets up for every call (a patch has a dozen values): objects, arrays, strings,
     * booleans, nulls and int or long numbers directly, anything else (other numbers, binary or POJO nodes) through
     * the mapper. With other tree settings ({@link #directTreeWrites}) everything goes through the mapper.
     */
    private void writeValue(JsonGenerator generator, JsonNode node) throws IOException {
        if (!directTreeWrites) {
            json.writeTree(generator, node);
            return;
        }
        switch (node.getNodeType()) {
            case OBJECT -> {
                generator.writeStartObject();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    generator.writeFieldName(field.getKey());
                    writeValue(generator, field.getValue());
                }
                generator.writeEndObject();
            }
            case ARRAY -> {
                generator.writeStartArray();
                for (JsonNode item : node) {
                    writeValue(generator, item);
                }
                generator.writeEndArray();
            }
            case STRING -> generator.writeString(node.textValue());
            case BOOLEAN -> generator.writeBoolean(node.booleanValue());
            case NULL -> generator.writeNull();
            default -> {
                if (node.isInt()) {
                    generator.writeNumber(node.intValue());
                } else if (node.isLong()) {
                    generator.writeNumber(node.longValue());
                } else {
                    json.writeTree(generator, node);
                }
            }
        }
    }

    /** Whether the mapper writes trees with the default settings, which {@link #writeValue} mirrors. */
    private static boolean defaultTreeWrites(ObjectMapper json) {
        var config = json.getSerializationConfig();
        return config.isEnabled(SerializationFeature.WRITE_EMPTY_JSON_ARRAYS)
                && config.isEnabled(JsonNodeFeature.WRITE_NULL_PROPERTIES)
                && !config.isEnabled(JsonNodeFeature.WRITE_PROPERTIES_SORTED);
    }

    /** The buffers of one thread for {@link #answer}; one grown larger than this (a huge patch) is not kept. */
    private static final int MAX_KEPT_BUFFER = 64 * 1024;
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private record Buffers(ExposedBuffer patch, ExposedBuffer answer) {
        Buffers() {
            this(new ExposedBuffer(4096), new ExposedBuffer(8192));
        }

        void dropLarge() {
            if (patch.capacity() > MAX_KEPT_BUFFER || answer.capacity() > MAX_KEPT_BUFFER) {
                BUFFERS.remove();
            }
        }
    }

    private static final class ExposedBuffer extends ByteArrayOutputStream {
        ExposedBuffer(int size) {
            super(size);
        }

        int capacity() {
            return buf.length;
        }

        /** What was written, without a copy. */
        ByteBuffer bytes() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
