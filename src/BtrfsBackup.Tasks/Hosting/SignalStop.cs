using System.Runtime.InteropServices;
using BtrfsBackup.Tasks;

namespace BtrfsBackup.Hosting;

/// <summary>
/// Turns Ctrl-C (SIGINT) and SIGTERM into <see cref="Interruption.Interrupt"/> instead of an abrupt
/// exit, so a transfer under way stops both btrfs processes and removes its partial subvolume first.
/// A host installs it for the life of a run (recipe set-up, the compiled program); a library call never does.
/// </summary>
internal sealed class SignalStop : IDisposable
{
    private static readonly TimeSpan RepeatedSignalWindow = TimeSpan.FromSeconds(2);
    private readonly List<PosixSignalRegistration> registrations = [];
    private readonly TimeProvider clock;
    private DateTimeOffset? firstSignalAt;

    public SignalStop(Interruption interruption, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(interruption);
        this.clock = clock ?? TimeProvider.System;
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                // A signal again, seconds after the first, ends the process the usual way. Copies that
                // arrive together do not: `dotnet cake` forwards to Cake what the process group got.
                var now = this.clock.GetUtcNow();
                firstSignalAt ??= now;
                context.Cancel = now - firstSignalAt < RepeatedSignalWindow;
                interruption.Interrupt(signal.ToString());
            }));
        }
    }

    public void Dispose() => registrations.ForEach(registration => registration.Dispose());
}
