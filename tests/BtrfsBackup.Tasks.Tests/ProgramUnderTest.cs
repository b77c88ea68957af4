using BtrfsBackup.Tests.Support;

namespace BtrfsBackup.Tests;

/// <summary>
/// Builds the library and compiles the program as it is installed (Native AOT, about a minute) once,
/// before any test: no test starts a program left from an earlier build, and no test's hang guard
/// counts the build's minute.
/// </summary>
[SetUpFixture]
public sealed class ProgramUnderTest
{
    [OneTimeSetUp]
    public void BuildBeforeAnyTest() => _ = CakeCli.BuiltProgramPath;
}
