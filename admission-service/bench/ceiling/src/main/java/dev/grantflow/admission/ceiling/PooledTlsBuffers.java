package dev.grantflow.admission.ceiling;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import jakarta.inject.Singleton;

/**
 * admission-service's {@code PooledTlsBuffers}, copied: the ceiling runs the service's HTTP and TLS settings, and this
 * module does not depend on the service. The HTTPS server takes the JDK TLS engine's heap buffers from Netty's pool
 * instead of making a new one (about 16 KiB) for every TLS record written.
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
