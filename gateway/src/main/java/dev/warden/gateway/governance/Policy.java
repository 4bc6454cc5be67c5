package dev.warden.gateway.governance;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The governance policy of one scope (a key, team or customer): its budgets and rate limits. */
public record Policy(String scope, List<Budget> budgets, RateLimit rateLimit) {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    public static final Policy NONE = new Policy("none", List.of(), RateLimit.NONE);

    public Policy {
        budgets = List.copyOf(budgets);
    }

    /** A spending limit per calendar window. */
    public record Budget(BudgetPeriod period, long limitNanos) {
    }

    /** Requests and tokens per minute and per hour; 0 means unlimited. */
    public record RateLimit(long rpm, long rph, long tpm, long tph) {
        public static final RateLimit NONE = new RateLimit(0, 0, 0, 0);

        public boolean unlimited() {
            return rpm == 0 && rph == 0 && tpm == 0 && tph == 0;
        }
    }

    public static String scopeOfKey(String id) {
        return "key:" + id;
    }

    public static String scopeOfTeam(String id) {
        return "team:" + id;
    }

    public static String scopeOfCustomer(String id) {
        return "customer:" + id;
    }

    // ---- JSON form stored in the database and used by the admin API ----

    /** Parses budgets from {@code [{"period":"day","limit_usd":10}]}, naming the bad field. */
    public static List<Budget> parseBudgets(String field, @Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(field + ": expected an array of {\"period\",\"limit_usd\"}");
        }
        java.util.ArrayList<Budget> budgets = new java.util.ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            budgets.add(parseBudget(field + "[" + i + "]", node.get(i)));
        }
        long periods = budgets.stream().map(Budget::period).distinct().count();
        if (periods != budgets.size()) {
            throw new IllegalArgumentException(field + ": two budgets for the same period (expected: one per period)");
        }
        return budgets;
    }

    public static Budget parseBudget(String field, JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(field + ": expected an object {\"period\",\"limit_usd\"}");
        }
        JsonNode limit = node.get("limit_usd");
        if (limit == null || !(limit.isNumber() || limit.isString())) {
            throw new IllegalArgumentException(field + ".limit_usd: missing (expected: an amount in US dollars)");
        }
        JsonNode period = node.get("period");
        if (period != null && !period.isString()) {
            throw new IllegalArgumentException(field + ".period: expected day, week, month or total");
        }
        return new Budget(period == null ? BudgetPeriod.MONTH : BudgetPeriod.parse(field + ".period",
                period.asString()), Money.parseUsd(field + ".limit_usd", limit.isNumber() ? limit.decimalValue()
                : limit.asString()));
    }

    public static RateLimit parseRateLimit(String field, @Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return RateLimit.NONE;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(field + ": expected an object {\"rpm\",\"rph\",\"tpm\",\"tph\"}");
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!List.of("rpm", "rph", "tpm", "tph").contains(entry.getKey())) {
                throw new IllegalArgumentException(field + "." + entry.getKey()
                        + ": unknown limit (expected: rpm, rph, tpm or tph)");
            }
        }
        return new RateLimit(limit(field, node, "rpm"), limit(field, node, "rph"), limit(field, node, "tpm"),
                limit(field, node, "tph"));
    }

    private static long limit(String field, JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 1
                || value.asLong() > 1_000_000_000L) {
            throw new IllegalArgumentException(field + "." + name + ": " + value
                    + " (expected: an integer 1..1000000000, or null for no limit)");
        }
        return value.asLong();
    }

    public static String budgetsJson(List<Budget> budgets) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (Budget budget : budgets) {
            array.addObject().put("period", budget.period().label())
                    .put("limit_usd", Money.usd(budget.limitNanos()).toPlainString());
        }
        return JSON.writeValueAsString(array);
    }

    public static String rateLimitJson(RateLimit limit) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (limit.rpm() > 0) {
            node.put("rpm", limit.rpm());
        }
        if (limit.rph() > 0) {
            node.put("rph", limit.rph());
        }
        if (limit.tpm() > 0) {
            node.put("tpm", limit.tpm());
        }
        if (limit.tph() > 0) {
            node.put("tph", limit.tph());
        }
        return JSON.writeValueAsString(node);
    }

    public static List<Budget> readBudgets(String json) {
        return parseBudgets("budgets", JSON.readTree(json));
    }

    public static RateLimit readRateLimit(String json) {
        return parseRateLimit("rate_limit", JSON.readTree(json));
    }
}
