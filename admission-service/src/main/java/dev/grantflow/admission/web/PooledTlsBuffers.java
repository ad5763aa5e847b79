package dev.grantflow.admission.web;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import jakarta.inject.Singleton;

/**
 * Lets the HTTPS server take the JDK TLS engine's heap buffers from Netty's pool. By default Vert.x pools only direct
 * buffers when TLS runs on the JDK's engine, and Netty's {@code SslHandler} allocates a new heap buffer of the
 * session's packet size (about 16 KiB) for every write it encrypts: about a quarter of all the bytes the service
 * allocated per review under load (docs/benchmarks.md, runs 49-50).
 *
 * <p>Quarkus has a switch for the same, {@code -Dquarkus.http.server.ssl.jdk.bufferPooling=true}, but it is read only
 * as a JVM system property: every way the service is started (the Deployment, the documented option sets, tests, the
 * local stack) would have to carry it. This customizer makes it part of the service. The benchmark's ceiling, which
 * only {@code run-benchmark.sh} starts, uses the switch.
 */
@Singleton
public class PooledTlsBuffers implements HttpServerOptionsCustomizer {

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        if (options.getSslEngineOptions() instanceof JdkSSLEngineOptions jdk) {
            jdk.setPooledHeapBuffers(true);
        } else if (options.getSslEngineOptions() == null) {
            options.setSslEngineOptions(new JdkSSLEngineOptions().setPooledHeapBuffers(true));
        }
    }
}
