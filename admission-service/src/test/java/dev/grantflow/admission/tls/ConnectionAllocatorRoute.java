package dev.grantflow.admission.tls;

import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Test route: the class of the byte buffer allocator of the connection a request came on (Netty's channel option,
 * set by Vert.x when it accepted the connection), for {@link PooledTlsBuffersTest}.
 */
@Singleton
public class ConnectionAllocatorRoute {

    static final String PATH = "/test/connection-allocator";

    void register(@Observes Router router) {
        router.get(PATH).handler(context -> context.response()
                .end(((ConnectionBase) context.request().connection()).channel().alloc().getClass().getName()));
    }
}
