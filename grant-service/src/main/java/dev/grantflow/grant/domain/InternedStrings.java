package dev.grantflow.grant.domain;

import dev.grantflow.model.json.SharedStrings;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives a value read from Kafka (a grant, a status, a key) the JVM's one shared instance of each of its short strings
 * ({@link String#intern()}), so that the copies every instance holds of every grant and of every published status
 * share the strings most grants repeat: apiVersion, kind, issuer, Secret type, source namespace and name, mount paths,
 * status reasons, and each key's tenant and name (the key, the grant and the status otherwise hold three copies).
 * Measured with 105,050 grants (docs/benchmarks.md, grant-service) strings were over half of the heap. Grants and
 * statuses get theirs as they are read ({@code Json.parseShared}, by the same rule, {@link SharedStrings#share}),
 * which costs less than rebuilding them here; this class serves the values built otherwise (grant keys, the signer's
 * key id of a receipt).
 *
 * <p>Works on any record shape without knowing it: a record is rebuilt through its canonical constructor with its
 * components interned, recursively through records, {@link ArrayList}s and {@link LinkedHashMap}s (what Jackson
 * builds); anything else (numbers, instants, enums, other collections) is kept as it is, and so is a record whose
 * rebuilding fails. A value equal to what came in is returned, never a changed one. Strings longer than
 * {@value #MAX_LENGTH} characters (sealed values, long messages) are left alone. Interned strings are reclaimed by the
 * garbage collector once nothing refers to them. Pure and thread-safe.
 */
public final class InternedStrings {

    /** Longer strings are rarely shared: interning them would only cost the string table ({@link SharedStrings}). */
    static final int MAX_LENGTH = SharedStrings.MAX_LENGTH;

    private record Shape(Method[] accessors, Constructor<?> constructor) {
    }

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            try {
                RecordComponent[] components = type.getRecordComponents();
                Method[] accessors = new Method[components.length];
                Class<?>[] types = new Class<?>[components.length];
                for (int i = 0; i < components.length; i++) {
                    accessors[i] = components[i].getAccessor();
                    accessors[i].setAccessible(true);
                    types[i] = components[i].getType();
                }
                Constructor<?> constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
                return new Shape(accessors, constructor);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null; // kept as it is
            }
        }
    };

    private InternedStrings() {
    }

    /** {@code value} with its short strings interned (see the class comment); null stays null. */
    @SuppressWarnings("unchecked")
    public static <T> T of(T value) {
        return (T) intern(value);
    }

    private static Object intern(Object value) {
        if (value instanceof String text) {
            return SharedStrings.share(text);
        }
        if (value == null) {
            return null;
        }
        Class<?> type = value.getClass();
        if (type.isRecord()) {
            return record(value, SHAPES.get(type));
        }
        if (type == ArrayList.class) {
            List<?> list = (List<?>) value;
            List<Object> copy = new ArrayList<>(list.size());
            boolean changed = false;
            for (Object item : list) {
                Object interned = intern(item);
                changed |= interned != item;
                copy.add(interned);
            }
            return changed ? copy : value;
        }
        if (type == LinkedHashMap.class) {
            Map<?, ?> map = (Map<?, ?>) value;
            if (map.isEmpty()) {
                return value;
            }
            Map<Object, Object> copy = new LinkedHashMap<>(Math.max(2, (int) (map.size() / 0.75f) + 1));
            map.forEach((k, v) -> copy.put(intern(k), intern(v)));
            return copy;
        }
        return value;
    }

    private static Object record(Object value, Shape shape) {
        if (shape == null) {
            return value;
        }
        try {
            Object[] components = new Object[shape.accessors().length];
            boolean changed = false;
            for (int i = 0; i < components.length; i++) {
                Object component = shape.accessors()[i].invoke(value);
                components[i] = intern(component);
                changed |= components[i] != component;
            }
            if (!changed) {
                return value;
            }
            Object rebuilt = shape.constructor().newInstance(components);
            return rebuilt.equals(value) ? rebuilt : value;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return value;
        }
    }
}
