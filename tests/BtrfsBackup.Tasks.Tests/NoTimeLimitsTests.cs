using System.Reflection;

namespace BtrfsBackup.Tests;

/// <summary>
/// A test never depends on how fast the machine is: a time limit on a test fails it under load
/// (one did, at a load of 40, with every assertion holding). Timing is for bench/, not for tests.
/// </summary>
[TestFixture]
public sealed class NoTimeLimitsTests
{
    [Test]
    public void No_test_has_a_time_limit()
    {
        Type[] limits = [typeof(MaxTimeAttribute), typeof(CancelAfterAttribute)];
        var limited = typeof(NoTimeLimitsTests).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(method => limits.Any(limit => method.IsDefined(limit, inherit: false)))
                .Select(method => $"{type.Name}.{method.Name}")
                .Concat(limits.Any(limit => type.IsDefined(limit, inherit: false)) ? [type.Name] : []))
            .ToList();

        Assert.That(limited, Is.Empty);
    }
}
