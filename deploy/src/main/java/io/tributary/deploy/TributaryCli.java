package io.tributary.deploy;

import io.tributary.deploy.bench.BenchCommand;
import io.tributary.platform.config.ConfigException;
import io.tributary.platform.config.Setting;
import io.tributary.platform.config.SettingValues;
import io.tributary.platform.config.TributaryConfig;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code tributary up|all|gateway|processors|query}, {@code tributary lag}, {@code tributary token} and {@code tributary health},
 * which talk to a running node (see LagCommand, TokenCommand, HealthCommand), and {@code tributary replay}, which writes the
 * topics into the store again (ReplayCommand). The options of every role command are generated from {@link Setting}, so flags,
 * environment variables and config-file keys are one list.
 */
public final class TributaryCli {

    private record Command(String name, Set<Role> roles, String description) {
    }

    private static final List<Command> COMMANDS = List.of(
            new Command("up", EnumSet.allOf(Role.class),
                    "Start everything in one process: embedded Kafka broker, schema registry, stream processors, DuckDB and the HTTP API (the embedded default)"),
            new Command("all", EnumSet.allOf(Role.class),
                    "Run gateway, processors and query roles in one process (embedded components unless external ones are given)"),
            new Command("gateway", EnumSet.of(Role.GATEWAY), "Run the write side (Events API) against external Kafka and schema registry"),
            new Command("processors", EnumSet.of(Role.PROCESSORS), "Run the stream processors and store sinks against external Kafka, registry and ClickHouse"),
            new Command("query", EnumSet.of(Role.QUERY), "Run the read side (pipes) against external Kafka, registry and ClickHouse"));

    /**
     * A one-shot action, so a flag of the command line only (not a setting: a config file keeping
     * it would empty the store at every start).
     */
    static final String REBUILD_STORE = "--rebuild-store";

    private TributaryCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Parses and runs; returns the exit code. Role commands block until the process is stopped. */
    static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        return run(args, env, System.in, out, err);
    }

    /** As above, with {@code in} as standard input (`tributary health scoring --file -`). */
    static int run(String[] args, Map<String, String> env, InputStream in, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        try {
            ParseResult parsed = cli.parseArgs(args);
            if (CommandLine.printHelpIfRequested(parsed)) {
                return 0;
            }
            if (!parsed.hasSubcommand()) {
                cli.usage(out);
                return 2;
            }
            ParseResult sub = parsed.subcommand();
            if (sub.commandSpec().name().equals(LagCommand.NAME)) {
                return LagCommand.run(sub, env, out, err);
            }
            if (sub.commandSpec().name().equals(TokenCommand.NAME)) {
                return TokenCommand.run(sub, env, out, err);
            }
            if (sub.commandSpec().name().equals(HealthCommand.NAME)) {
                return HealthCommand.run(sub, env, in, out, err);
            }
            if (sub.commandSpec().name().equals(ReplayCommand.NAME)) {
                return ReplayCommand.run(sub, env, out, err);
            }
            if (sub.commandSpec().name().equals(BenchCommand.NAME)) {
                return BenchCommand.run(sub, out, err);
            }
            Command command = COMMANDS.stream().filter(c -> c.name().equals(sub.commandSpec().name())).findFirst().orElseThrow();
            TributaryConfig config = TributaryConfig.from(SettingValues.resolve(flags(sub), env));
            boolean rebuildStore = sub.hasMatchedOption(REBUILD_STORE);
            try (TributaryNode node = TributaryNode.start(config, command.roles(), out, true, rebuildStore)) {
                node.awaitShutdown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        } catch (CommandLine.ParameterException e) {
            err.println(e.getMessage());
            e.getCommandLine().usage(err);
            return 2;
        } catch (ConfigException e) {
            err.println("configuration error: " + e.getMessage());
            return 2;
        }
    }

    static CommandLine commandLine() {
        CommandSpec root = CommandSpec.create().name("tributary").mixinStandardHelpOptions(true).version("tributary 0.1.0");
        root.usageMessage().description("Tributary: customer events in, pipes out.");
        CommandLine cli = new CommandLine(root);
        for (Command command : COMMANDS) {
            CommandSpec spec = CommandSpec.create().name(command.name()).mixinStandardHelpOptions(true);
            spec.usageMessage().description(command.description());
            addSettingOptions(spec);
            if (command.roles().contains(Role.PROCESSORS)) {
                spec.addOption(OptionSpec.builder(REBUILD_STORE).arity("0").type(boolean.class)
                        .description("Empty the store's tables and replay every topic from offset zero into them (sink consumer groups "
                                + "are reset; progress is logged until caught up). Stop other processors processes first.")
                        .build());
            }
            cli.addSubcommand(command.name(), new CommandLine(spec));
        }
        cli.addSubcommand(LagCommand.NAME, new CommandLine(LagCommand.spec()));
        cli.addSubcommand(TokenCommand.NAME, TokenCommand.commandLine());
        cli.addSubcommand(HealthCommand.NAME, HealthCommand.commandLine());
        cli.addSubcommand(ReplayCommand.NAME, new CommandLine(ReplayCommand.spec()));
        cli.addSubcommand(BenchCommand.NAME, new CommandLine(BenchCommand.spec()));
        return cli;
    }

    /** One option per {@link Setting}: the role commands' and replay's, which reaches the same Kafka and store. */
    static void addSettingOptions(CommandSpec spec) {
        for (Setting s : Setting.values()) {
            spec.addOption(OptionSpec.builder(s.flag())
                    .paramLabel("<" + s.key() + ">")
                    .type(String.class)
                    .description(s.description() + " [env " + s.envVar()
                            + (s.defaultValue().isEmpty() || s.secret() ? "" : ", default " + s.defaultValue()) + "]")
                    .build());
        }
    }

    /** The settings given as flags of {@code sub}. */
    static Map<Setting, String> flags(ParseResult sub) {
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        for (Setting s : Setting.values()) {
            if (sub.hasMatchedOption(s.flag())) {
                flags.put(s, sub.matchedOptionValue(s.flag(), ""));
            }
        }
        return flags;
    }
}
