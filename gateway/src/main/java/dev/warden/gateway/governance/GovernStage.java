package dev.warden.gateway.governance;

import dev.warden.gateway.auth.VirtualKey;
import dev.warden.gateway.config.WardenProperties;
import dev.warden.gateway.metrics.GatewayMetrics;
import dev.warden.gateway.pipeline.ErrorKind;
import dev.warden.gateway.pipeline.EventStream;
import dev.warden.gateway.pipeline.Exchange;
import dev.warden.gateway.pipeline.GatewayException;
import dev.warden.gateway.pipeline.Reply;
import dev.warden.gateway.pipeline.SseEvent;
import dev.warden.gateway.pipeline.Stage;
import dev.warden.gateway.pipeline.Surface;
import dev.warden.gateway.pipeline.Usage;
import dev.warden.gateway.routing.RouteResult;
import dev.warden.gateway.routing.RouteTable;
import dev.warden.gateway.surface.CanonicalRequest;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Stage 4, with its pair at stage 10: rate limits and budgets. Before the call it admits the request into the key's
 * rate windows and reserves the request's worst-case cost on every budget of the key, its team and the team's
 * customer (all or none). After the call — when a JSON answer returns, or when a stream is closed — it settles the
 * actual cost from the provider's usage, releases the rest, and records usage. On failure the reservation is
 * released. Every surface passes through here, streamed or not, so no route bypasses a budget.
 */
public final class GovernStage implements Stage {
    private final Counters counters;
    private final OrgRepository orgs;
    private final PriceTable prices;
    private final RouteTable routes;
    private final UsageRecorder usage;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final ZoneId zone;
    private final int defaultMaxOutputTokens;

    public GovernStage(Counters counters, OrgRepository orgs, PriceTable prices, RouteTable routes,
                       UsageRecorder usage, GatewayMetrics metrics, Clock clock, WardenProperties properties) {
        this.counters = counters;
        this.orgs = orgs;
        this.prices = prices;
        this.routes = routes;
        this.usage = usage;
        this.metrics = metrics;
        this.clock = clock;
        this.zone = properties.governance().timeZone();
        this.defaultMaxOutputTokens = properties.governance().defaultMaxOutputTokens();
    }

    @Override
    public Reply handle(Exchange exchange, Chain chain) {
        VirtualKey key = exchange.get(VirtualKey.ATTRIBUTE);
        CanonicalRequest request = exchange.get(CanonicalRequest.ATTRIBUTE);
        if (request.surface() == Surface.ANTHROPIC_COUNT_TOKENS) {
            // Free at the provider and asked for every turn (Claude Code's VS Code extension sends dozens at start):
            // counted against the key's request rate it would starve the key's real requests. Nothing to settle.
            return chain.proceed(exchange);
        }
        Instant now = clock.instant();
        String keyScope = Policy.scopeOfKey(key.id());
        if (!key.rateLimit().unlimited()) {
            try {
                counters.admit(keyScope, key.rateLimit(), now);
            } catch (Counters.RateLimitedException e) {
                throw new GatewayException(ErrorKind.RATE_LIMITED, "Rate limit reached for key " + key.hint() + ": "
                        + e.getMessage() + "; retry in " + e.retryAfterSeconds() + "s", null,
                        Map.of("retry-after", Long.toString(e.retryAfterSeconds())));
            }
        }
        List<Counters.Line> lines = lines(key, now);
        long estimate = lines.isEmpty() ? 0 : estimate(request, exchange.inbound().body().length);
        if (!lines.isEmpty()) {
            try {
                counters.reserve(lines, estimate);
            } catch (Counters.BudgetExceededException e) {
                Counters.Line line = e.line();
                throw new GatewayException(ErrorKind.PAYMENT_REQUIRED, "Budget exceeded: the " + line.period().label()
                        + " budget of " + describe(line.scope()) + " is $" + Money.usd(line.limitNanos()).toPlainString()
                        + " and $" + Money.usd(e.spentNanos()).toPlainString() + " is spent; this request may cost up "
                        + "to $" + Money.usd(estimate).toPlainString()
                        + (line.period() == BudgetPeriod.TOTAL ? "" : "; it resets at "
                        + line.period().resetsAt(now, zone)));
            }
        }
        Settlement settlement = new Settlement(exchange, key, lines, estimate, now);
        Reply reply;
        try {
            reply = chain.proceed(exchange);
        } catch (RuntimeException e) {
            settlement.release();
            throw e;
        }
        return switch (reply) {
            case Reply.Json json -> {
                settlement.settle(false);
                yield json;
            }
            case Reply.Stream stream -> new Reply.Stream(new SettlingStream(stream.events(), settlement),
                    stream.headers());
        };
    }

    private List<Counters.Line> lines(VirtualKey key, Instant now) {
        List<Counters.Line> lines = new ArrayList<>(3);
        addLines(lines, Policy.scopeOfKey(key.id()), key.budgets(), now);
        if (key.teamId() != null) {
            OrgRepository.Org team = orgs.team(key.teamId()).orElse(null);
            if (team != null) {
                addLines(lines, Policy.scopeOfTeam(team.id()), team.budgets(), now);
                if (team.customerId() != null) {
                    orgs.customer(team.customerId()).ifPresent(customer -> addLines(lines,
                            Policy.scopeOfCustomer(customer.id()), customer.budgets(), now));
                }
            }
        }
        return lines;
    }

    private void addLines(List<Counters.Line> lines, String scope, List<Policy.Budget> budgets, Instant now) {
        for (Policy.Budget budget : budgets) {
            lines.add(new Counters.Line(scope, budget.period(), budget.period().windowStart(now, zone),
                    budget.limitNanos()));
        }
    }

    /** The most this request can cost: every input byte a token, the output cap, at the dearest target's price. */
    long estimate(CanonicalRequest request, int bodyBytes) {
        RouteTable.Route route = routes.resolve(request.model()).orElse(null);
        if (route == null) {
            return 0; // the router answers 404; nothing is spent
        }
        long inputTokens = Math.max(1, bodyBytes / 3);
        long outputTokens = request.surface() == Surface.EMBEDDINGS ? 0 : maxOutputTokens(request.body());
        long worst = 0;
        for (RouteTable.Target target : route.targets()) {
            PriceTable.Rate rate = prices.rateFor(target.modelFor(request.model()));
            worst = Math.max(worst, rate.cost(new Usage(inputTokens, outputTokens, 0, 0)));
        }
        return worst;
    }

    private long maxOutputTokens(JsonNode body) {
        for (String field : new String[] {"max_completion_tokens", "max_output_tokens", "max_tokens"}) {
            JsonNode value = body.get(field);
            // The caller's surface checked its own field; another surface's (a chat request naming
            // max_output_tokens, say) is only read here, so it is bounded here too.
            if (value != null && value.isIntegralNumber() && value.canConvertToInt() && value.asInt() > 0) {
                return value.asInt();
            }
        }
        return defaultMaxOutputTokens;
    }

    private String describe(String scope) {
        int colon = scope.indexOf(':');
        String kind = scope.substring(0, colon);
        String id = scope.substring(colon + 1);
        if ("team".equals(kind)) {
            return "team '" + orgs.team(id).map(OrgRepository.Org::name).orElse(id) + "'";
        }
        if ("customer".equals(kind)) {
            return "customer '" + orgs.customer(id).map(OrgRepository.Org::name).orElse(id) + "'";
        }
        return "this key";
    }

    /** Settles exactly once: actual cost if the provider reported usage, else the reservation (never free). */
    private final class Settlement {
        private final Exchange exchange;
        private final VirtualKey key;
        private final List<Counters.Line> lines;
        private final long estimate;
        private final Instant admittedAt;
        private boolean done;

        Settlement(Exchange exchange, VirtualKey key, List<Counters.Line> lines, long estimate, Instant admittedAt) {
            this.exchange = exchange;
            this.key = key;
            this.lines = lines;
            this.estimate = estimate;
            this.admittedAt = admittedAt;
        }

        void release() {
            if (done) {
                return;
            }
            done = true;
            if (!lines.isEmpty()) {
                counters.settle(lines, estimate, 0);
            }
        }

        void settle(boolean streamCutShort) {
            if (done) {
                return;
            }
            done = true;
            RouteResult route = exchange.find(RouteResult.ATTRIBUTE);
            Usage reported = exchange.find(Usage.ATTRIBUTE);
            long cost;
            boolean estimated;
            Usage used = reported == null ? Usage.NONE : reported;
            if (reported != null && (reported.totalTokens() > 0 || !streamCutShort)) {
                String model = route == null ? exchange.get(CanonicalRequest.ATTRIBUTE).model() : route.model();
                cost = prices.rateFor(model).cost(reported);
                estimated = false;
            } else {
                // No usage from the provider (a stream cut short, or a server that does not report it): charge the
                // reservation rather than nothing, so an interrupted stream can never be used to spend for free.
                cost = lines.isEmpty() ? 0 : estimate;
                estimated = true;
            }
            if (!lines.isEmpty()) {
                counters.settle(lines, estimate, cost);
            }
            if (!key.rateLimit().unlimited() && used.totalTokens() > 0) {
                counters.addTokens(Policy.scopeOfKey(key.id()), key.rateLimit(), admittedAt, used.totalTokens());
            }
            exchange.put(Charge.ATTRIBUTE, new Charge(cost, estimated));
            String provider = route == null ? "none" : route.provider();
            String model = route == null ? "none" : route.model();
            usage.record(admittedAt, key.id(), key.teamId(), model, provider, used, cost);
            metrics.usage(provider, routes.resolve(exchange.get(CanonicalRequest.ATTRIBUTE).model())
                    .map(RouteTable.Route::name).orElse("unknown"), used, cost, key.id(),
                    key.teamId() == null ? "none" : key.teamId());
        }
    }

    /** Passes events through and settles when the stream ends or the caller goes away. */
    private static final class SettlingStream implements EventStream {
        private final EventStream events;
        private final Settlement settlement;
        private boolean ended;

        SettlingStream(EventStream events, Settlement settlement) {
            this.events = events;
            this.settlement = settlement;
        }

        @Override
        public @Nullable SseEvent next() throws IOException {
            SseEvent event = events.next();
            if (event == null) {
                ended = true;
            }
            return event;
        }

        @Override
        public boolean nextIsBuffered() {
            return events.nextIsBuffered();
        }

        @Override
        public void close() {
            try {
                events.close();
            } finally {
                settlement.settle(!ended);
            }
        }
    }
}
