package io.cortex.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The rules of the core module (docs/architecture.md, "Modules"): no workflow engine, no Spring, no CLI library;
 * JGit only behind the {@code io.cortex.git} boundary; packages without cycles.
 */
@AnalyzeClasses(packages = "io.cortex", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {

  @ArchTest
  static final ArchRule coreKnowsNoEngine = noClasses().should().dependOnClassesThat()
      .resideInAnyPackage("org.camunda..", "org.operaton..", "org.springframework..", "picocli..")
      .because("the core runs under any Camunda 7 flavour and any host; engine code lives in cortex-engine");

  @ArchTest
  static final ArchRule jgitOnlyInGit = noClasses().that().resideOutsideOfPackage("io.cortex.git..")
      .should().dependOnClassesThat().resideInAPackage("org.eclipse.jgit..")
      .because("all git access goes through io.cortex.git");

  @ArchTest
  static final ArchRule packagesHaveNoCycles = slices().matching("io.cortex.(*)..").should().beFreeOfCycles();
}
