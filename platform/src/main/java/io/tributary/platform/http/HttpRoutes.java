package io.tributary.platform.http;

import io.javalin.Javalin;

/** A set of routes a module contributes to the HTTP server (gateway: writes; query API: reads). */
@FunctionalInterface
public interface HttpRoutes {
    void mount(Javalin app);
}
