package dev.grantflow.admission.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * An item of one of the pod's lists as {@link PodReviewReader} keeps it: only the fields the merge keys it by or
 * descends into and that the shape check reads (a container's name, env, envFrom, volume mounts, command and args;
 * an env var's name; a mount's name and path), plus where the whole item is in the review's bytes. The merge reads
 * the kept fields as those of any object node; where it compares or describes the whole item (a name that the pod
 * and a PodDefault both use, tolerations and envFrom entries compared whole), it asks for {@link #whole(JsonNode)},
 * the item read from its bytes, as {@code readTree} would have built it in the first place. Most pods never need
 * that: their items are only counted and keyed.
 *
 * <p>Only ever seen by the mutating webhook's decision, within the request that read it: it holds the request body's
 * array, which the decision does not outlive.
 */
final class SkimmedItem extends ObjectNode {

    private static final long serialVersionUID = 1L;

    private final transient ObjectMapper json;
    private final transient byte[] body;
    private final int offset;
    /** Set by the reader once it is past the item's last byte. */
    private int length = -1;
    /** The whole item, once read. */
    private transient JsonNode whole;

    /** An item whose bytes start at {@code offset} of {@code body}; its fields are set as the reader reads them. */
    SkimmedItem(JsonNodeFactory nodes, ObjectMapper json, byte[] body, int offset) {
        super(nodes);
        this.json = json;
        this.body = body;
        this.offset = offset;
    }

    /** Where the item's bytes end ({@code end} exclusive), once the reader is past them. */
    void endAt(int end) {
        this.length = end - offset;
    }

    /** {@code node} itself, unless it is a skimmed item: then the whole item. {@code null} stays {@code null}. */
    static JsonNode whole(JsonNode node) {
        return node instanceof SkimmedItem skimmed ? skimmed.read() : node;
    }

    private JsonNode read() {
        if (whole == null) {
            try {
                whole = json.readTree(body, offset, length);
            } catch (IOException e) {
                // These bytes were tokenized without error as part of the review.
                throw new UncheckedIOException("cannot read again an item of the pod", e);
            }
        }
        return whole;
    }

    /**
     * Compared as the whole item, never as the kept fields alone. (The other way round, an object node's
     * {@code equals} would compare its fields with the kept ones: the merge compares only {@link #whole} forms.)
     */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof JsonNode n && read().equals(whole(n));
    }

    @Override
    public int hashCode() {
        return read().hashCode();
    }
}
