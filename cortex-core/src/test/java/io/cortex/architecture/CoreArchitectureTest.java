package io.cortex.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The rules of the core module (docs/architecture.md, "Modules"): no workflow engine, no Spring, no CLI library;
 * JGit only behind the {@code io.cortex.git} boundary; packages without cycles.
 */
class CoreArchitectureTest {

  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      // the modules' main classes, from folders or jars (mvn verify packages them), never their test jars
      .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/test-classes/"))
      .importPackages("io.cortex");

  @Test
  void coreKnowsNoEngine() {
    noClasses().should().dependOnClassesThat()
      .resideInAnyPackage("org.camunda..", "org.operaton..", "org.springframework..", "picocli..")
      .because("the core runs under any Camunda 7 flavour and any host; engine code lives in cortex-engine").check(CLASSES);
  }

  @Test
  void jgitOnlyInGit() {
    noClasses().that().resideOutsideOfPackage("io.cortex.git..")
      .should().dependOnClassesThat().resideInAPackage("org.eclipse.jgit..")
      .because("all git access goes through io.cortex.git").check(CLASSES);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.(**)").should().beFreeOfCycles().check(CLASSES);
  }
}
