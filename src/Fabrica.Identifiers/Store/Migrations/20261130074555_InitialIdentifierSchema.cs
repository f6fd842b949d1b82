using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fabrica.Identifiers.Store.Migrations
{
    /// <inheritdoc />
    public partial class InitialIdentifierSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Handles",
                columns: table => new
                {
                    Handle = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    Prefix = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Values = table.Column<byte[]>(type: "BLOB", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Handles", x => x.Handle);
                });

            migrationBuilder.CreateTable(
                name: "ResolutionCounts",
                columns: table => new
                {
                    Prefix = table.Column<string>(type: "TEXT", maxLength: 255, nullable: false),
                    Day = table.Column<int>(type: "INTEGER", nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ResolutionCounts", x => new { x.Prefix, x.Day });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Handles_Prefix",
                table: "Handles",
                column: "Prefix");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Handles");

            migrationBuilder.DropTable(
                name: "ResolutionCounts");
        }
    }
}
