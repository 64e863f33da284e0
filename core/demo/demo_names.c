/* demo_names.c — French first and last names (accents included, a few beyond Latin-1) with
 * their ASCII spelling for e-mail addresses. The first names of the scripted learners that
 * must stay unique (Bobby, Sophie, Djilali, Marty, Camille) are deliberately absent. */
#include "demo/demo_names.h"

const struct demo_name demo_first_names[] = {
    {"Hélène", "helene"},     {"Françoise", "francoise"}, {"Jérôme", "jerome"},
    {"Zoé", "zoe"},           {"Gaëlle", "gaelle"},       {"Noël", "noel"},
    {"Loïc", "loic"},         {"Benoît", "benoit"},       {"Anaïs", "anais"},
    {"Mathéo", "matheo"},     {"Léa", "lea"},             {"Chloé", "chloe"},
    {"Maëlys", "maelys"},     {"Inès", "ines"},           {"Océane", "oceane"},
    {"Rémi", "remi"},         {"Céline", "celine"},       {"Sébastien", "sebastien"},
    {"Stéphane", "stephane"}, {"Frédéric", "frederic"},   {"Valérie", "valerie"},
    {"Émilie", "emilie"},     {"Agnès", "agnes"},         {"Joël", "joel"},
    {"Raphaël", "raphael"},   {"Clémence", "clemence"},   {"Thérèse", "therese"},
    {"Jérémy", "jeremy"},     {"Aurélie", "aurelie"},     {"Amélie", "amelie"},
    {"Grégoire", "gregoire"}, {"Nicolas", "nicolas"},     {"Julien", "julien"},
    {"Thomas", "thomas"},     {"Manon", "manon"},         {"Lucas", "lucas"},
    {"Nathalie", "nathalie"}, {"Isabelle", "isabelle"},   {"Pierre", "pierre"},
    {"Laurent", "laurent"},   {"Sandrine", "sandrine"},   {"Karim", "karim"},
    {"Yasmine", "yasmine"},   {"Mohamed", "mohamed"},     {"Fatoumata", "fatoumata"},
    {"Mamadou", "mamadou"},   {"Linh", "linh"},           {"Mei", "mei"},
    {"Élodie", "elodie"},     {"Ophélie", "ophelie"},     {"Maxime", "maxime"},
    {"Antoine", "antoine"},   {"Hugo", "hugo"},           {"Margaux", "margaux"},
    {"Éric", "eric"},         {"Cécile", "cecile"},       {"Yannick", "yannick"},
    {"Solène", "solene"},     {"Bérénice", "berenice"},   {"Dorothée", "dorothee"},
    {"Ségolène", "segolene"}, {"Anaëlle", "anaelle"},     {"Ludovic", "ludovic"},
    {"Sarah", "sarah"},
};
const size_t demo_first_count = sizeof demo_first_names / sizeof *demo_first_names;

const struct demo_name demo_last_names[] = {
    {"Lefèvre", "lefevre"},     {"Dupré", "dupre"},         {"Bérénger", "berenger"},
    {"Nguyễn", "nguyen"},       {"Martin", "martin"},       {"Bernard", "bernard"},
    {"Dubois", "dubois"},       {"Thomas", "thomas"},       {"Robert", "robert"},
    {"Richard", "richard"},     {"Petit", "petit"},         {"Durand", "durand"},
    {"Leroy", "leroy"},         {"Moreau", "moreau"},       {"Simon", "simon"},
    {"Laurent", "laurent"},     {"Lefebvre", "lefebvre"},   {"Michel", "michel"},
    {"Garcia", "garcia"},       {"David", "david"},         {"Bertrand", "bertrand"},
    {"Roux", "roux"},           {"Vincent", "vincent"},     {"Fournier", "fournier"},
    {"Girard", "girard"},       {"Bonnet", "bonnet"},       {"Dupont", "dupont"},
    {"Lambert", "lambert"},     {"Fontaine", "fontaine"},   {"Rousseau", "rousseau"},
    {"Mercier", "mercier"},     {"Blanchard", "blanchard"}, {"Guérin", "guerin"},
    {"Boyer", "boyer"},         {"Gauthier", "gauthier"},   {"Chevalier", "chevalier"},
    {"Lemaître", "lemaitre"},   {"Gérard", "gerard"},       {"Bouchet", "bouchet"},
    {"Hébert", "hebert"},       {"Ménard", "menard"},       {"Béranger", "beranger"},
    {"Lebœuf", "leboeuf"},      {"Clément", "clement"},     {"Noël", "noel"},
    {"Benali", "benali"},       {"Haddad", "haddad"},       {"Diallo", "diallo"},
    {"Traoré", "traore"},       {"Trần", "tran"},           {"Lê", "le"},
    {"Müller", "muller"},       {"Dvořák", "dvorak"},       {"Šimić", "simic"},
    {"Ødegaard", "odegaard"},   {"Ibáñez", "ibanez"},       {"Gonçalves", "goncalves"},
    {"Brûlé", "brule"},         {"Crépin", "crepin"},       {"Delépine", "delepine"},
    {"Évrard", "evrard"},       {"Pâris", "paris"},         {"Faure", "faure"},
    {"Morel", "morel"},         {"Barbier", "barbier"},     {"Perrin", "perrin"},
    {"Garnier", "garnier"},
};
const size_t demo_last_count = sizeof demo_last_names / sizeof *demo_last_names;

const char *const demo_departments[] = {"Ventes", "RH", "Finance", "IT", "Logistique",
                                        "Marketing"};
const size_t demo_department_count = sizeof demo_departments / sizeof *demo_departments;

const char *const demo_managers[][2][2] = {
    {{"Véronique Castel", "veronique.castel@acme-industrie.example"},
     {"Philippe Aubert", "philippe.aubert@acme-industrie.example"}},
    {{"Sylvie Marchand", "sylvie.marchand@acme-industrie.example"},
     {"Kévin Lopez", "kevin.lopez@acme-industrie.example"}},
    {{"Jean-François Bailly", "jean-francois.bailly@acme-industrie.example"},
     {"Nadia Belkacem", "nadia.belkacem@acme-industrie.example"}},
    {{"Damien Roche", "damien.roche@acme-industrie.example"},
     {"Hương Phạm", "huong.pham@acme-industrie.example"}},
    {{"Gilles Tessier", "gilles.tessier@acme-industrie.example"},
     {"Corinne Lacroix", "corinne.lacroix@acme-industrie.example"}},
    {{"Élise Vasseur", "elise.vasseur@acme-industrie.example"},
     {"Olivier Besson", "olivier.besson@acme-industrie.example"}},
};

const char *const demo_months[13] = {"",     "janvier", "février", "mars",
                                     "avril", "mai",     "juin",    "juillet",
                                     "août", "septembre", "octobre", "novembre",
                                     "décembre"};
