package dev.grantflow.grantctl.domain;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Plain secret values by secret key, held in memory only until they are sealed. {@link #toString()} shows the keys,
 * never a value; {@link #wipe()} overwrites the bytes once sealed.
 */
public final class SecretValues implements AutoCloseable {

    private final Map<String, byte[]> values = new LinkedHashMap<>();

    /** Adds {@code value} under {@code key}; a key given twice is a usage error (values are not shown). */
    public void put(String key, byte[] value) {
        if (values.containsKey(key)) {
            throw GrantctlFailure.usage("secret key '" + key + "' is given more than once");
        }
        values.put(key, value);
    }

    public Map<String, byte[]> asMap() {
        return Collections.unmodifiableMap(values);
    }

    public Set<String> keys() {
        return Collections.unmodifiableSet(values.keySet());
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** Overwrites every value with zeros. */
    public void wipe() {
        values.values().forEach(v -> Arrays.fill(v, (byte) 0));
    }

    @Override
    public void close() {
        wipe();
    }

    @Override
    public String toString() {
        return "SecretValues[keys=" + values.keySet() + "]";
    }
}
