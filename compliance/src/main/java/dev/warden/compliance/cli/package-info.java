/** The command line the gateway calls: {@code report soc2 …} and {@code report verify …}. */
@NullMarked
package dev.warden.compliance.cli;

import org.jspecify.annotations.NullMarked;
