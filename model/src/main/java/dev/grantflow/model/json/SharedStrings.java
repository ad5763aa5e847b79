package dev.grantflow.model.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;

/**
 * The rule by which values held by the hundred thousand share their strings, and the Jackson module of
 * {@link Json#parseShared} that applies it as they are read: a string read (a value, or an object's key) of at most
 * {@value #MAX_LENGTH} characters is the JVM's one instance of it ({@link String#intern()}). Values are read by
 * Jackson's own {@link StringDeserializer} first, so what is accepted and refused (and how other tokens are coerced)
 * is unchanged; only the instance returned differs.
 */
public final class SharedStrings {

    /** Longer strings (sealed values, long messages) are rarely shared: interning them would only fill the table. */
    public static final int MAX_LENGTH = 256;

    private SharedStrings() {
    }

    static SimpleModule module() {
        return new SimpleModule("grantflow-shared-strings")
                .addDeserializer(String.class, new Values())
                .addKeyDeserializer(String.class, new Keys());
    }

    /**
     * {@code text} as the JVM's one instance of it when it has at most {@value #MAX_LENGTH} characters, else as it is
     * (null stays null): the rule of {@link Json#parseShared}, for strings built otherwise.
     */
    public static String share(String text) {
        return text == null || text.length() > MAX_LENGTH ? text : text.intern();
    }

    private static final class Values extends StdScalarDeserializer<String> {

        Values() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            return share(StringDeserializer.instance.deserialize(parser, context));
        }

        @Override
        public LogicalType logicalType() {
            return StringDeserializer.instance.logicalType();
        }

        @Override
        public Object getEmptyValue(DeserializationContext context) throws JsonMappingException {
            return StringDeserializer.instance.getEmptyValue(context);
        }
    }

    private static final class Keys extends KeyDeserializer {

        @Override
        public Object deserializeKey(String key, DeserializationContext context) {
            return share(key);
        }
    }
}
