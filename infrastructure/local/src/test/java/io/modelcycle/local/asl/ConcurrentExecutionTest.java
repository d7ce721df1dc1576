package io.modelcycle.local.asl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The executor on real threads: Map iterations and Parallel branches whose tasks complete on other threads keep
 * their results in order, respect MaxConcurrency, and write a history whose ids are unique and gap-free.
 */
class ConcurrentExecutionTest {

    @TempDir
    Path home;

    @Test
    void mapWithAsynchronousTasksOnAThreadPool() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(8);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        TaskBindings bindings = new TaskBindings().bind("Square", inv -> CompletableFuture.supplyAsync(() -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inFlight.decrementAndGet();
            int v = inv.input().asInt();
            return IntNode.valueOf(v * v);
        }, workers));
        try (SystemScheduler scheduler = new SystemScheduler(4);
                AslExecutor executor = AslExecutor.builder().home(home).scheduler(scheduler).bindings(bindings)
                        .build()) {
            executor.register("squares", StateMachine.parse("""
                    {"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                      {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":10,"End":true,
                        "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"Square",
                          "End":true}}}}}},
                      {"StartAt":"N","States":{"N":{"Type":"Pass","Result":"other","End":true}}}]}}}"""));
            ArrayNode items = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < 300; i++) {
                items.add(i);
            }
            var d = executor.start("squares", null, items).completion().get(60, TimeUnit.SECONDS);
            assertThat(d.status()).as("%s %s", d.error(), d.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
            var out = AslTestSupport.json(d.output());
            for (int i = 0; i < 300; i++) {
                assertThat(out.get(0).get(i).asInt()).isEqualTo(i * i);
            }
            assertThat(out.get(1).asText()).isEqualTo("other");
            assertThat(maxInFlight.get()).isLessThanOrEqualTo(10);
            List<HistoryEvent> history = executor.history(d.executionArn());
            Set<Long> ids = new HashSet<>();
            history.forEach(e -> ids.add(e.id()));
            assertThat(ids).hasSize(history.size());
            assertThat(history.get(history.size() - 1).id()).isEqualTo(history.size());
            assertThat(history).allSatisfy(e -> assertThat(e.previousEventId()).isLessThan(e.id()));
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void manyExecutionsAtOnce() throws Exception {
        try (SystemScheduler scheduler = new SystemScheduler(4);
                AslExecutor executor = AslExecutor.builder().home(home).scheduler(scheduler).build()) {
            executor.register("count", StateMachine.parse("""
                    {"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},
                      "Next":"C"},"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":20,"Next":"A"}],
                      "Default":"D"},"D":{"Type":"Succeed"}}}"""));
            List<CompletableFuture<ExecutionDescription>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                all.add(executor.start("count", null, AslTestSupport.json("{\"n\":0}")).completion());
            }
            for (var f : all) {
                assertThat(f.get(60, TimeUnit.SECONDS).output()).isEqualTo("{\"n\":20}");
            }
            assertThat(executor.list()).hasSize(50);
        }
    }
}
