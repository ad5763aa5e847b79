package dev.grantflow.admission.web;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The HTTPS server's key manager: serves the current key and certificate chain, and switches to a new pair with
 * {@link #serve} without the server being reconfigured (TLS handshakes ask the key manager each time). Each pair gets an
 * alias of its own, and the previous ones stay resolvable for a while, so a handshake that chose an alias just before
 * a switch still gets that alias's key with that alias's chain, never a mix.
 */
final class RotatingKeyManager extends X509ExtendedKeyManager {

    private record Entry(PrivateKey key, X509Certificate[] chain) {
    }

    private static final int KEEP = 4;

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private volatile String current;
    private long generation;

    /** From now on, new handshakes get this key and chain. */
    synchronized void serve(PrivateKey key, X509Certificate[] chain) {
        String alias = "serving-" + (++generation);
        entries.put(alias, new Entry(key, chain.clone()));
        while (entries.size() > KEEP) {
            entries.remove(entries.keySet().iterator().next());
        }
        current = alias;
    }

    private String alias(String keyType) {
        String alias = current;
        if (alias == null || keyType == null) {
            return null;
        }
        Entry entry = entry(alias);
        return entry != null && keyType.equals(entry.key().getAlgorithm()) ? alias : null;
    }

    private synchronized Entry entry(String alias) {
        return alias == null ? null : entries.get(alias);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return alias(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return alias(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = alias(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Entry entry = entry(alias);
        return entry == null ? null : entry.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Entry entry = entry(alias);
        return entry == null ? null : entry.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
