using System.Reflection;
using System.Text.RegularExpressions;
using BtrfsBackup.Aliases;
using BtrfsBackup.Tests.Support;
using Cake.Core.Annotations;

namespace BtrfsBackup.Tests.Addin;

/// <summary>
/// docs/cake-addin.md against the library itself, so that the reference cannot drift: every alias
/// ([CakeMethodAlias]) has its section under "Aliases" with each overload's exact signature, every
/// settings class its table under "Settings" with each public property and its type, and the doc names
/// no alias, overload, settings class or property the library does not have.
/// </summary>
[TestFixture]
public sealed partial class AddinReferenceTests
{
    private static readonly Assembly Library = typeof(BtrfsRunAliases).Assembly;
    private static readonly string DocPath = Path.Combine(CakeCli.RepositoryRoot, "docs", "cake-addin.md");

    private static IEnumerable<MethodInfo> Aliases =>
        Library.GetExportedTypes().SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Where(method => method.IsDefined(typeof(CakeMethodAliasAttribute)) || method.IsDefined(typeof(CakePropertyAliasAttribute)));

    private static IEnumerable<Type> SettingsTypes =>
        Library.GetExportedTypes().Where(type => type.Namespace == "BtrfsBackup.Aliases" && type.Name.EndsWith("Settings", StringComparison.Ordinal) && !type.IsAbstract);

    [Test]
    public void The_library_has_aliases_and_settings_to_check() =>
        Assert.That((Aliases.Count(), SettingsTypes.Count()), Is.EqualTo((14, 7)), "a change here is a change to the addin's surface: update this count and docs/cake-addin.md");

    [Test]
    public void Every_alias_is_in_one_category()
    {
        var categories = Aliases.Select(alias => alias.DeclaringType!.GetCustomAttribute<CakeAliasCategoryAttribute>()?.Name).Distinct().ToList();

        Assert.That(categories, Is.EqualTo(new[] { "Btrfs" }));
    }

    [Test]
    public void Every_alias_overload_is_documented_with_its_signature_and_the_doc_names_no_other()
    {
        var documented = Sections(Section(Doc(), "### Aliases"))
            .ToDictionary(section => section.Key, section => CodeLines(section.Value).ToHashSet(StringComparer.Ordinal));
        var actual = Aliases.GroupBy(alias => alias.Name)
            .ToDictionary(group => group.Key, group => group.Select(Signature).ToHashSet(StringComparer.Ordinal));

        Assert.That(documented.Keys, Is.EquivalentTo(actual.Keys), "a #### section under \"### Aliases\" per alias, and none for anything else");
        Assert.Multiple(() =>
        {
            foreach (var (name, signatures) in actual)
            {
                Assert.That(documented.GetValueOrDefault(name), Is.EquivalentTo(signatures), $"the signatures in the ```csharp block of #### {name}");
            }
        });
    }

    [Test]
    public void Every_settings_property_is_in_its_table_with_its_type_and_the_table_names_no_other()
    {
        var documented = Sections(Section(Doc(), "### Settings"))
            .ToDictionary(section => section.Key, section => TableRows(section.Value));
        var actual = SettingsTypes.ToDictionary(
            type => type.Name,
            type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(property => property.Name, TypeName));

        Assert.That(documented.Keys, Is.EquivalentTo(actual.Keys), "a #### section under \"### Settings\" per settings class, and none for anything else");
        Assert.Multiple(() =>
        {
            foreach (var (name, properties) in actual)
            {
                Assert.That(documented.GetValueOrDefault(name), Is.EquivalentTo(properties), $"the | `Property` | `type` | rows of #### {name}");
            }
        });
    }

    private static string Doc() => File.ReadAllText(DocPath);

    // From the heading to the next heading of the same level or higher.
    private static string Section(string text, string heading)
    {
        var start = text.IndexOf($"\n{heading}\n", StringComparison.Ordinal);
        Assert.That(start, Is.Not.Negative, $"docs/cake-addin.md has no \"{heading}\"");
        var level = heading.TakeWhile(character => character == '#').Count();
        var next = Regex.Match(text[(start + heading.Length + 2)..], $@"^#{{1,{level}}} ", RegexOptions.Multiline);
        return next.Success ? text.Substring(start, heading.Length + 2 + next.Index) : text[start..];
    }

    // The #### subsections: name, text.
    private static Dictionary<string, string> Sections(string text) =>
        SubHeading().Matches(text).ToDictionary(
            match => match.Groups[1].Value,
            match => SubHeading().Match(text, match.Index + match.Length) is { Success: true } next
                ? text[match.Index..next.Index]
                : text[match.Index..]);

    // The lines of the ```csharp blocks.
    private static IEnumerable<string> CodeLines(string section) =>
        CodeBlock().Matches(section).SelectMany(block => block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    // | `Name` | `type` | ...: name, type.
    private static Dictionary<string, string> TableRows(string section) =>
        PropertyRow().Matches(section).ToDictionary(row => row.Groups[1].Value, row => row.Groups[2].Value);

    private static string Signature(MethodInfo alias)
    {
        var parameters = alias.GetParameters().Select((parameter, index) =>
            (index == 0 ? "this " : string.Empty) + $"{TypeName(parameter)} {parameter.Name}" + (parameter.HasDefaultValue ? $" = {parameter.DefaultValue ?? "null"}" : string.Empty));
        var returned = alias.ReturnType == typeof(void) ? "void" : TypeName(alias.ReturnParameter);
        return $"{returned} {alias.Name}({string.Join(", ", parameters)})";
    }

    private static string TypeName(ParameterInfo parameter) => TypeName(parameter.ParameterType, new NullabilityInfoContext().Create(parameter));

    private static string TypeName(PropertyInfo property) => $"`{TypeName(property.PropertyType, new NullabilityInfoContext().Create(property))}`";

    // As C# writes it: bool?, FilePath?, IList<string>?.
    private static string TypeName(Type type, NullabilityInfo nullability)
    {
        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Keyword(underlying) + "?";
        }

        var name = type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)]}<{string.Join(", ", type.GetGenericArguments().Zip(nullability.GenericTypeArguments, TypeName))}>"
            : Keyword(type);
        return nullability.ReadState == NullabilityState.Nullable ? name + "?" : name;
    }

    private static string Keyword(Type type) =>
        type == typeof(string) ? "string" : type == typeof(bool) ? "bool" : type == typeof(int) ? "int" : type == typeof(long) ? "long" : type.Name;

    [GeneratedRegex(@"^#### (\S+)\s*$", RegexOptions.Multiline)]
    private static partial Regex SubHeading();

    [GeneratedRegex(@"```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"^\| `(\w+)` \| (`[^|]+`) \|", RegexOptions.Multiline)]
    private static partial Regex PropertyRow();
}
