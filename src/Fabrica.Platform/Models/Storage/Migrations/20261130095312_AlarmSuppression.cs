using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fabrica.Platform.Models.Storage.Migrations
{
    /// <inheritdoc />
    public partial class AlarmSuppression : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Suppression",
                table: "Alarms",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "AlarmPoints",
                columns: table => new
                {
                    RuleId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    AssetId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    AssetPath = table.Column<string>(type: "TEXT", nullable: false),
                    Mode = table.Column<int>(type: "INTEGER", nullable: false),
                    Since = table.Column<long>(type: "INTEGER", nullable: false),
                    By = table.Column<string>(type: "TEXT", nullable: false),
                    Comment = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AlarmPoints", x => new { x.RuleId, x.AssetId });
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AlarmPoints");

            migrationBuilder.DropColumn(
                name: "Suppression",
                table: "Alarms");
        }
    }
}
