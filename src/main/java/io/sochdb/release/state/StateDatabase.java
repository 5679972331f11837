package io.sochdb.release.state;

import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDBC database behind the release state: an embedded H2 file under {@code STATE_DIR} by default, PostgreSQL
 * (or any database Flyway and the driver know) through {@code STATE_DB_URL}. The schema is created and migrated
 * at start by Flyway; several replicas starting at once are serialised by Flyway's own lock.
 */
public final class StateDatabase implements AutoCloseable {

    /** One statement's parameters in, rows out; SQL stays next to the code that means it. */
    public interface Rows<T> {
        T map(ResultSet row) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(StateDatabase.class);

    private final HikariDataSource dataSource;
    private final String description;

    private StateDatabase(HikariDataSource dataSource, String description) {
        this.dataSource = dataSource;
        this.description = description;
    }

    /**
     * @param url empty for the embedded default under {@code stateDir}
     */
    public static StateDatabase open(String url, String user, String password, Path stateDir) {
        return open(url, user, password, stateDir, Duration.ofSeconds(30));
    }

    /** @param startupWait how long to wait for the database at start, e.g. while its pod comes up */
    static StateDatabase open(String url, String user, String password, Path stateDir, Duration startupWait) {
        boolean embedded = url == null || url.isBlank();
        boolean fresh = false;
        if (embedded) {
            EmbeddedStoreFile.check(stateDir);
            fresh = !java.nio.file.Files.exists(EmbeddedStoreFile.file(stateDir));
            // Nothing to wait for in a local file: a file that does not open now never will.
            startupWait = Duration.ofMillis(1);
        }
        String jdbcUrl = embedded ? embeddedUrl(stateDir) + (fresh ? "" : ";IFEXISTS=TRUE") : url.strip();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null && !user.isBlank()) {
            config.setUsername(user);
        }
        if (password != null && !password.isBlank()) {
            config.setPassword(password);
        }
        config.setPoolName("release-state");
        config.setMaximumPoolSize(6);
        config.setMinimumIdle(1);
        // A replica whose database is gone must fail its readiness quickly, not hang its triggers.
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(startupWait.toMillis());
        String description = describe(jdbcUrl);
        HikariDataSource dataSource;
        try {
            dataSource = new HikariDataSource(config);
        } catch (RuntimeException e) {
            if (embedded) {
                throw new StateStoreStartupException(EmbeddedStoreFile.corrupt(stateDir, rootMessage(e)));
            }
            throw new IllegalStateException("cannot open the release state store " + description + ": " + rootMessage(e), e);
        }
        try {
            var result = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                    .loggers("slf4j").load().migrate();
            LOG.info("Release state store {}: schema version {}{}", description, result.targetSchemaVersion == null
                    ? "current" : result.targetSchemaVersion, result.migrationsExecuted > 0
                    ? " (" + result.migrationsExecuted + " migrations applied)" : "");
        } catch (RuntimeException e) {
            dataSource.close();
            if (embedded) {
                throw new StateStoreStartupException(EmbeddedStoreFile.corrupt(stateDir, rootMessage(e)));
            }
            throw new IllegalStateException("cannot migrate the release state store " + description + ": " + rootMessage(e), e);
        }
        if (embedded) {
            EmbeddedStoreFile.created(stateDir);
        }
        return new StateDatabase(dataSource, description);
    }

    /** WRITE_DELAY=0: a claim that was answered must survive a SIGKILL right after it. */
    static String embeddedUrl(Path stateDir) {
        return "jdbc:h2:file:" + stateDir.toAbsolutePath().normalize().resolve("release-state") + ";WRITE_DELAY=0";
    }

    /** The URL without credentials or options, for logs. */
    static String describe(String jdbcUrl) {
        String bare = jdbcUrl.split("[;?]", 2)[0];
        return bare.replaceAll("//[^/@]*@", "//");
    }

    public String description() {
        return description;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new StateStoreException(sql, e);
        }
    }

    /** An insert that may meet an existing key: false instead of an error, on H2 and PostgreSQL alike. */
    public boolean insertUnique(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (isDuplicateKey(e)) {
                return false;
            }
            throw new StateStoreException(sql, e);
        }
    }

    public <T> List<T> query(String sql, Rows<T> rows, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = prepare(connection, sql, parameters);
                ResultSet result = statement.executeQuery()) {
            List<T> all = new ArrayList<>();
            while (result.next()) {
                all.add(rows.map(result));
            }
            return all;
        } catch (SQLException e) {
            throw new StateStoreException(sql, e);
        }
    }

    /**
     * Statements that must land together, such as a run's row and its steps.
     *
     * @return false, with nothing changed, when a fenced statement changed no row
     */
    public boolean transaction(List<Statement> statements) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                for (Statement s : statements) {
                    try (PreparedStatement statement = prepare(connection, s.sql(), s.parameters())) {
                        int changed = statement.executeUpdate();
                        if (s.mustChange() && changed == 0) {
                            connection.rollback();
                            return false;
                        }
                    }
                }
                connection.commit();
                return true;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StateStoreException("transaction", e);
        }
    }

    /** One statement of a transaction; {@code mustChange}: the whole transaction is void when it changes no row. */
    public record Statement(String sql, boolean mustChange, Object... parameters) {
        public static Statement of(String sql, Object... parameters) {
            return new Statement(sql, false, parameters);
        }

        public static Statement fenced(String sql, Object... parameters) {
            return new Statement(sql, true, parameters);
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.length; i++) {
                Object value = parameters[i];
                if (value == null) {
                    statement.setNull(i + 1, java.sql.Types.NULL);
                } else {
                    statement.setObject(i + 1, value);
                }
            }
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
        return statement;
    }

    /** SQLSTATE 23505 is unique_violation in PostgreSQL and H2 alike. */
    private static boolean isDuplicateKey(SQLException e) {
        for (SQLException s = e; s != null; s = s.getNextException()) {
            if ("23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    /** For Camel, which stops its services after the routes: the pool closes once no route can use it. */
    public org.apache.camel.Service asService() {
        return new org.apache.camel.support.service.ServiceSupport() {
            @Override
            protected void doStop() {
                StateDatabase.this.close();
            }
        };
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
