package org.nbregistry.local.infra;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** A JVM that starts the three servers and waits to be killed; {@link ParentKillIT} is its parent. */
public final class InfrastructureChild {

    private InfrastructureChild() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalInfrastructure infra = LocalInfrastructure.builder(Path.of(args[0]))
                .fresh(true)
                .environment(Map.of())
                .servers(Server.values())
                .postgresDatabases(List.of("episodes"))
                .start();
        System.out.println("STARTED " + infra.pids());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
